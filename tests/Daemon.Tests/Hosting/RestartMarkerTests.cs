using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Speaker;
using BgpStack.Daemon.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace BgpStack.Daemon.Tests.Hosting;

public sealed class RestartMarkerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("bgpstackd-state-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static BgpSpeakerOptions Options(TimeSpan restartTime) => new()
    {
        RouterId = RouterId.Parse("198.18.0.1"),
        LocalAs = 65001,
        Peers = [new PeerOptions { Address = IPAddress.Parse("198.18.0.2"), RemoteAs = 65002, GracefulRestart = new GracefulRestartOptions { RestartTime = restartTime } }],
    };

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_first_start_is_not_a_restart_and_leaves_a_running_marker()
    {
        var marker = new RestartMarker(Path.Combine(directory, "new"), TimeProvider.System, NullLogger.Instance);
        Assert.False(marker.Start(Options(TimeSpan.FromSeconds(120))).Restarting);
        Assert.StartsWith("running ", File.ReadAllText(Path.Combine(directory, "new", RestartMarker.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_soon_after_a_stop_for_restart_is_a_restart_and_a_late_one_is_not()
    {
        var clock = new Clock(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));
        var marker = new RestartMarker(directory, clock, NullLogger.Instance);
        marker.Start(Options(TimeSpan.FromSeconds(120)));
        marker.Stop(forRestart: true);

        clock.Now += TimeSpan.FromSeconds(60);
        Assert.True(new RestartMarker(directory, clock, NullLogger.Instance).Start(Options(TimeSpan.FromSeconds(120))).Restarting);
        new RestartMarker(directory, clock, NullLogger.Instance).Stop(forRestart: true);

        clock.Now += TimeSpan.FromSeconds(121);
        Assert.False(new RestartMarker(directory, clock, NullLogger.Instance).Start(Options(TimeSpan.FromSeconds(120))).Restarting);
    }

    [Fact]
    public void A_start_after_a_shutdown_with_cease_is_not_a_restart()
    {
        var marker = new RestartMarker(directory, TimeProvider.System, NullLogger.Instance);
        marker.Start(Options(TimeSpan.FromSeconds(120)));
        marker.Stop(forRestart: false);
        Assert.False(new RestartMarker(directory, TimeProvider.System, NullLogger.Instance).Start(Options(TimeSpan.FromSeconds(120))).Restarting);
    }

    [Fact]
    public void A_start_after_a_run_that_never_stopped_cleanly_is_a_restart()
    {
        new RestartMarker(directory, TimeProvider.System, NullLogger.Instance).Start(Options(TimeSpan.FromSeconds(120)));
        Assert.True(new RestartMarker(directory, TimeProvider.System, NullLogger.Instance).Start(Options(TimeSpan.FromSeconds(120))).Restarting);
    }

    [Fact]
    public void Without_graceful_restart_toward_any_peer_a_stop_is_never_followed_by_a_restart()
    {
        var marker = new RestartMarker(directory, TimeProvider.System, NullLogger.Instance);
        marker.Stop(forRestart: true);
        var options = Options(TimeSpan.FromSeconds(120)) with { Peers = [new PeerOptions { Address = IPAddress.Parse("198.18.0.2"), RemoteAs = 65002, GracefulRestart = null }] };
        Assert.False(marker.Start(options).Restarting);
    }

    [Fact]
    public void A_garbled_marker_is_not_a_restart()
    {
        File.WriteAllText(Path.Combine(directory, RestartMarker.FileName), "what is this");
        Assert.False(new RestartMarker(directory, TimeProvider.System, NullLogger.Instance).Start(Options(TimeSpan.FromSeconds(120))).Restarting);
    }

    [Fact]
    public void Restarting_from_the_configuration_stays_set()
    {
        var options = Options(TimeSpan.FromSeconds(120)) with { Restarting = true };
        Assert.True(new RestartMarker(directory, TimeProvider.System, NullLogger.Instance).Start(options).Restarting);
    }
}
