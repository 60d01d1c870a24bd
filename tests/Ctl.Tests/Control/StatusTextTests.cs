using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Tests.Control;

public sealed class StatusTextTests
{
    private static string Render(BgpStack.Control.StatusResult status)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        StatusText.Write(writer, status, ControlSamples.Now);
        return writer.ToString();
    }

    [Fact]
    public void Status_is_laid_out_like_calicoctl_node_status_with_long_info_wrapped()
    {
        const string expected = """
            bgpstackd is running.
            Router ID 198.18.0.1, AS 65001, version 0.1.0, started 2026-11-22 06:00:00 UTC.
            IPv4 BGP status
            +---------------+-----------+-------+----------+--------------------------------+
            | PEER ADDRESS  | PEER TYPE | STATE |  SINCE   |              INFO              |
            +---------------+-----------+-------+----------+--------------------------------+
            | 192.168.60.42 | ibgp      | start | 06:03:39 | Active Socket: Connection      |
            |               |           |       |          | refused                        |
            | 192.168.60.83 | ibgp      | up    | 06:03:40 | Established                    |
            +---------------+-----------+-------+----------+--------------------------------+

            IPv6 BGP status
            No IPv6 peers found.

            """;
        Assert.Equal(expected, Render(ControlSamples.CalicoLike()));
    }

    [Fact]
    public void Ipv6_peers_get_their_own_table_with_dynamic_and_rr_client_types_and_dates_for_old_states()
    {
        const string expected = """
            bgpstackd is running.
            Router ID 198.18.0.1, AS 65001, version 0.1.0, started 2026-11-20 23:59:00 UTC.
            IPv4 BGP status
            No IPv4 peers found.

            IPv6 BGP status
            +--------------+--------------+-------+------------+-------------+
            | PEER ADDRESS |  PEER TYPE   | STATE |   SINCE    |    INFO     |
            +--------------+--------------+-------+------------+-------------+
            | 2001:db8::2  | dynamic ebgp | up    | 2026-11-20 | Established |
            | 2001:db8::10 | rr client    | start | 06:59:58   | OpenSent    |
            +--------------+--------------+-------+------------+-------------+

            """;
        Assert.Equal(expected, Render(ControlSamples.Ipv6Only()));
    }

    [Theory]
    [InlineData("Established", "up")]
    [InlineData("Idle", "start")]
    [InlineData("Connect", "start")]
    [InlineData("Active", "start")]
    [InlineData("OpenSent", "start")]
    [InlineData("OpenConfirm", "start")]
    public void State_column_uses_bird_protocol_states(string sessionState, string shown)
    {
        Assert.Equal(shown, StatusText.ProtocolState(sessionState));
        Assert.Equal("down", StatusText.ProtocolState(sessionState, shutdown: true));
    }

    [Fact]
    public void Wrapping_keeps_a_word_longer_than_the_width_on_its_own_line()
    {
        var lines = StatusText.Wrap("Idle Received: Cease/Administrative-shutdown-with-a-very-long-name now", 30);
        Assert.Equal(["Idle Received:", "Cease/Administrative-shutdown-with-a-very-long-name", "now"], lines);
    }
}
