using System.Net.Sockets;
using System.Text;
using BgpStack.Control;
using Microsoft.Extensions.Logging.Abstractions;

namespace BgpStack.Daemon.Tests.Control;

public sealed class ControlServerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("bgpstackd-ctl-").FullName;

    private string SocketPath => Path.Combine(directory, "bgpstackd.sock");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private ControlServer StartServer(IControlHandler? handler = null)
    {
        var server = new ControlServer(SocketPath, handler ?? new FixedHandler(), NullLogger.Instance);
        server.Start();
        return server;
    }

    [Fact]
    public async Task Socket_file_is_mode_0600_and_removed_on_shutdown()
    {
        var server = StartServer();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        await server.DisposeAsync();
        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task Status_answers_with_the_peers()
    {
        await using var server = StartServer();
        using var client = new ControlConnection(SocketPath);
        var response = await client.AskAsync("""{"command":"status"}""");
        Assert.True(response.GetProperty("ok").GetBoolean());
        var peers = response.GetProperty("result").GetProperty("peers");
        Assert.Equal(2, peers.GetArrayLength());
        Assert.Equal(1000, peers[0].GetProperty("prefixes_received").GetProperty("ipv4-unicast").GetInt32());
    }

    [Fact]
    public async Task Routes_passes_the_prefix_to_the_speaker()
    {
        var handler = new FixedHandler();
        await using var server = StartServer(handler);
        using var client = new ControlConnection(SocketPath);
        var response = await client.AskAsync("""{"command":"routes","prefix":"10.244.1.0/24"}""");
        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Equal(IpPrefix.Parse("10.244.1.0/24"), handler.LastPrefix);
        Assert.Equal("as-path-length", response.GetProperty("result").GetProperty("routes")[0].GetProperty("reason").GetString());

        await client.AskAsync("""{"command":"routes"}""");
        Assert.Null(handler.LastPrefix);
    }

    [Theory]
    [InlineData("not json", "malformed request")]
    [InlineData("""{"command":"status",""", "malformed request")]
    [InlineData("""{"prefix":"10.0.0.0/8"}""", "no \"command\"")]
    [InlineData("""{"command":"status","extra":1}""", "malformed request")]
    [InlineData("""{"command":"shutdown"}""", "unknown command 'shutdown'")]
    [InlineData("""{"command":"routes","prefix":"10.0.0.0/33"}""", "not a prefix: '10.0.0.0/33'")]
    [InlineData("[1,2]", "malformed request")]
    public async Task Malformed_requests_get_an_error_and_the_connection_stays_usable(string request, string error)
    {
        await using var server = StartServer();
        using var client = new ControlConnection(SocketPath);
        var response = await client.AskAsync(request);
        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Contains(error, response.GetProperty("error").GetString(), StringComparison.Ordinal);

        var next = await client.AskAsync("""{"command":"status"}""");
        Assert.True(next.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task An_over_long_request_is_refused_without_buffering_it_and_the_connection_stays_usable()
    {
        await using var server = StartServer();
        using var client = new ControlConnection(SocketPath);
        client.Send(Encoding.UTF8.GetBytes(new string('x', ControlServer.MaxRequestBytes * 4) + "\n"));
        var response = await client.ReadAsync();
        Assert.Contains("longer than", response.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True((await client.AskAsync("""{"command":"status"}""")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Several_requests_on_one_line_stream_are_answered_in_order_and_blank_lines_ignored()
    {
        await using var server = StartServer();
        using var client = new ControlConnection(SocketPath);
        client.Send("""{"command":"status"}""" + "\n\n  \n" + """{"command":"bogus"}""" + "\r\n" + """{"command":"routes"}""" + "\n");
        Assert.True((await client.ReadAsync()).GetProperty("ok").GetBoolean());
        Assert.Contains("bogus", (await client.ReadAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True((await client.ReadAsync()).GetProperty("result").TryGetProperty("routes", out _));
    }

    [Fact]
    public async Task A_failing_reload_reports_the_config_error()
    {
        var handler = new FixedHandler();
        await using var server = StartServer(handler);
        using var client = new ControlConnection(SocketPath);
        var response = await client.AskAsync("""{"command":"reload"}""");
        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Equal("bgpstackd.yaml:4:3: 'as' must be a number", response.GetProperty("error").GetString());
        Assert.Equal(1, handler.Reloads);
    }

    [Fact]
    public async Task A_client_waiting_on_a_slow_command_does_not_block_another_client()
    {
        var handler = new FixedHandler { GateRoutes = true };
        await using var server = StartServer(handler);
        using var slow = new ControlConnection(SocketPath);
        slow.Send("""{"command":"routes"}""" + "\n");
        var slowAnswer = slow.ReadAsync(TimeSpan.FromSeconds(20));

        // A client that connects and never sends anything must not matter either.
        using var silent = new ControlConnection(SocketPath);
        using var other = new ControlConnection(SocketPath);
        var status = await other.AskAsync("""{"command":"status"}""");
        Assert.True(status.GetProperty("ok").GetBoolean());
        Assert.False(slowAnswer.IsCompleted);

        handler.RoutesGate.SetResult();
        Assert.True((await slowAnswer).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_told_so_and_the_others_keep_working()
    {
        await using var server = StartServer();
        var open = new List<ControlConnection>();
        try
        {
            for (var i = 0; i < ControlServer.MaxConnections; i++)
            {
                open.Add(new ControlConnection(SocketPath));
            }

            // Every one of them is being served once it has answered.
            foreach (var connection in open)
            {
                Assert.True((await connection.AskAsync("""{"command":"status"}""")).GetProperty("ok").GetBoolean());
            }

            using var extra = new ControlConnection(SocketPath);
            var refused = await extra.ReadAsync();
            Assert.Contains("too many control connections", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.True((await open[0].AskAsync("""{"command":"status"}""")).GetProperty("ok").GetBoolean());
        }
        finally
        {
            open.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Every_answered_request_is_counted_by_command_and_outcome()
    {
        var counted = new System.Collections.Concurrent.ConcurrentQueue<(string Command, bool Ok)>();
        await using var server = new ControlServer(SocketPath, new FixedHandler(), NullLogger.Instance, (command, ok) => counted.Enqueue((command, ok)));
        server.Start();
        using var client = new ControlConnection(SocketPath);
        await client.AskAsync("""{"command":"status"}""");
        await client.AskAsync("""{"command":"reload"}""");
        await client.AskAsync("""{"command":"nope"}""");
        await client.AskAsync("garbage");
        Assert.Equal([("status", true), ("reload", false), ("unknown", false), ("invalid", false)], counted.ToArray());
    }

    [Fact]
    public async Task A_stale_socket_file_is_replaced()
    {
        // A socket file whose owner is gone. .NET unlinks what a socket bound when it is disposed,
        // so bind elsewhere and move the file into place, as a daemon killed with SIGKILL leaves it.
        var elsewhere = Path.Combine(directory, "old.sock");
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(elsewhere));
            stale.Listen();
            File.Move(elsewhere, SocketPath);
        }

        Assert.True(File.Exists(SocketPath));
        await using var server = StartServer();
        using var client = new ControlConnection(SocketPath);
        Assert.True((await client.AskAsync("""{"command":"status"}""")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_socket_another_daemon_serves_is_left_alone()
    {
        await using var first = StartServer();
        var second = new ControlServer(SocketPath, new FixedHandler(), NullLogger.Instance);
        var error = Assert.Throws<IOException>(second.Start);
        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
        await second.DisposeAsync();

        using var client = new ControlConnection(SocketPath);
        Assert.True((await client.AskAsync("""{"command":"status"}""")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_missing_directory_is_created()
    {
        var nested = Path.Combine(directory, "run", "bgpstack", "s.sock");
        await using var server = new ControlServer(nested, new FixedHandler(), NullLogger.Instance);
        server.Start();
        Assert.True(File.Exists(nested));
    }

    [Fact]
    public async Task Shutdown_closes_open_connections()
    {
        var server = StartServer();
        using var client = new ControlConnection(SocketPath);
        Assert.True((await client.AskAsync("""{"command":"status"}""")).GetProperty("ok").GetBoolean());
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<EndOfStreamException>(() => client.ReadAsync());
    }
}
