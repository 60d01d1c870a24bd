using System.Text.Json;
using BgpStack.Control;

namespace BgpStack.Ctl.Tests.Control;

public sealed class ControlProtocolJsonTests
{
    [Fact]
    public void Status_response_round_trips_through_json()
    {
        var response = new ControlResponse<StatusResult> { Ok = true, Result = ControlSamples.CalicoLike() };
        var json = JsonSerializer.Serialize(response, ControlJsonContext.Default.ControlResponseStatusResult);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlResponseStatusResult);

        Assert.NotNull(back?.Result);
        Assert.Equal(json, JsonSerializer.Serialize(back, ControlJsonContext.Default.ControlResponseStatusResult));
        Assert.Equal(response.Result.Peers.Select(p => p.Since), back.Result.Peers.Select(p => p.Since));
        Assert.Equal(12, back.Result.Peers[0].PrefixesReceived["ipv4-unicast"]);
    }

    [Fact]
    public void Routes_response_round_trips_through_json()
    {
        var response = new ControlResponse<RoutesResult> { Ok = true, Result = ControlSamples.Routes() };
        var json = JsonSerializer.Serialize(response, ControlJsonContext.Default.ControlResponseRoutesResult);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlResponseRoutesResult);

        Assert.Equal(json, JsonSerializer.Serialize(back, ControlJsonContext.Default.ControlResponseRoutesResult));
        Assert.Equal(["198.18.0.1", "198.18.0.8"], back!.Result!.Routes[2].Paths[0].ClusterList.ToArray());
    }

    [Fact]
    public void Status_json_uses_snake_case_names_utc_iso_8601_times_and_per_family_prefix_counts()
    {
        var json = JsonSerializer.Serialize(new ControlResponse<StatusResult> { Ok = true, Result = ControlSamples.CalicoLike() }, ControlJsonContext.Default.ControlResponseStatusResult);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.False(root.TryGetProperty("error", out _));
        var peer = root.GetProperty("result").GetProperty("peers")[0];
        Assert.Equal("192.168.60.83", peer.GetProperty("address").GetString());
        Assert.Equal(65001u, peer.GetProperty("remote_as").GetUInt32());
        Assert.Equal("2026-11-22T06:03:40+00:00", peer.GetProperty("since").GetString());
        Assert.Equal(12, peer.GetProperty("prefixes_received").GetProperty("ipv4-unicast").GetInt32());
        Assert.Equal(3, peer.GetProperty("prefixes_sent").GetProperty("ipv4-unicast").GetInt32());
        Assert.Equal(90, peer.GetProperty("hold_time").GetInt32());
    }

    [Fact]
    public void An_error_reads_back_as_a_failed_response_of_any_command()
    {
        var json = JsonSerializer.Serialize(new ControlError { Error = "unknown command 'x'" }, ControlJsonContext.Default.ControlError);
        Assert.Equal("""{"ok":false,"error":"unknown command \u0027x\u0027"}""", json);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlResponseRoutesResult);
        Assert.False(back!.Ok);
        Assert.Null(back.Result);
        Assert.Equal("unknown command 'x'", back.Error);
    }

    [Fact]
    public void Requests_are_one_object_with_the_command_and_an_optional_prefix()
    {
        Assert.Equal("""{"command":"status"}""", JsonSerializer.Serialize(new ControlRequest { Command = "status" }, ControlJsonContext.Default.ControlRequest));
        Assert.Equal("""{"command":"routes","prefix":"10.0.0.0/8"}""", JsonSerializer.Serialize(new ControlRequest { Command = "routes", Prefix = "10.0.0.0/8" }, ControlJsonContext.Default.ControlRequest));
    }
}
