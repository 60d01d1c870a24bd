using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

/// <summary>
/// The seed records of the MRT fuzz corpus (fuzz/corpus/mrt), built by <see cref="MrtWriter"/>:
/// one small valid record of each main kind.
/// </summary>
internal static class MrtSeeds
{
    private static readonly IPAddress Peer4 = IPAddress.Parse("198.18.0.2");
    private static readonly IPAddress Local4 = IPAddress.Parse("198.18.0.1");
    private static readonly IPAddress Peer6 = IPAddress.Parse("2001:db8::2");
    private static readonly IPAddress Local6 = IPAddress.Parse("2001:db8::1");

    /// <summary>File name, record octets and the record type each must decode to.</summary>
    public static IReadOnlyList<(string Name, byte[] Record, Type Expected)> All { get; } =
    [
        ("bgp4mp_message_as4_update.mrt", Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 4_200_000_001, 65000, Peer4, Local4, Update(
            Nlri(IpPrefix.Parse("192.0.2.0/24")),
            Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 4_200_000_001, 65002), NextHopAttribute(Peer4), CommunitiesAttribute(0xFDE80064)),
            Nlri(IpPrefix.Parse("10.0.0.0/24")))), typeof(Bgp4mpMessageRecord)),
        ("bgp4mp_message_as2_update_as4_path.mrt", Bgp4mpMessage(Bgp4mpSubtype.Message, OpenMessage.AsTrans, 65000, Peer4, Local4, Update(
            [],
            Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(false, OpenMessage.AsTrans, 65002), NextHopAttribute(Peer4), As4PathAttribute(4_200_000_001, 65002)),
            Nlri(IpPrefix.Parse("10.0.0.0/24")))), typeof(Bgp4mpMessageRecord)),
        ("bgp4mp_message_as4_addpath_update.mrt", Bgp4mpMessage(Bgp4mpSubtype.MessageAs4AddPath, 65001, 65000, Peer6, Local6, Update(
            [],
            Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 65001), MpReachAttribute(AfiSafi.Ipv6Unicast, Peer6, Nlri(IpPrefix.Parse("2001:db8:5::/48"), 11))),
            [])), typeof(Bgp4mpMessageRecord)),
        ("bgp4mp_message_open.mrt", Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 4_200_000_001, 65000, Peer4, Local4,
            Open(OpenMessage.AsTrans, 90, RouterId.Parse("192.0.2.9"), FourOctetAsCapability(4_200_000_001))), typeof(Bgp4mpMessageRecord)),
        ("bgp4mp_et_state_change.mrt", Bgp4mpStateChange(true, 65001, 65000, Peer6, Local6, 5, 6, microseconds: 123_456), typeof(Bgp4mpStateChangeRecord)),
        ("peer_index_table.mrt", PeerIndexTable(RouterId.Parse("192.0.2.254"), "seed", [
            new PeerSpec(RouterId.Parse("192.0.2.1"), Peer4, 65001, FourOctetAs: false),
            new PeerSpec(RouterId.Parse("192.0.2.2"), Peer6, 4_200_000_002)]), typeof(PeerIndexTableRecord)),
        ("rib_ipv4_unicast.mrt", Rib(TableDumpV2Subtype.RibIpv4Unicast, 0, IpPrefix.Parse("203.0.113.0/24"), [
            new RibEntrySpec(0, 1_690_000_000, Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 65001, 4_200_000_000), NextHopAttribute(Local4), MedAttribute(10))),
            new RibEntrySpec(1, 1_690_000_000, Attributes(OriginAttribute(Origin.Incomplete), AsPathAttribute(true, 4_200_000_002), NextHopAttribute(Peer4)))]), typeof(RibRecord)),
        ("rib_ipv6_unicast_addpath.mrt", Rib(TableDumpV2Subtype.RibIpv6UnicastAddPath, 1, IpPrefix.Parse("2001:db8:100::/40"), [
            new RibEntrySpec(1, 1_690_000_000, Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 4_200_000_002), AbbreviatedMpReachAttribute(Peer6, IPAddress.Parse("fe80::2"))), PathId: 1),
            new RibEntrySpec(1, 1_690_000_000, Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 4_200_000_002, 65010), AbbreviatedMpReachAttribute(Peer6)), PathId: 2)]), typeof(RibRecord)),
    ];

    /// <summary>The repository's fuzz/corpus/mrt folder, found by walking up from the test binaries to the solution.</summary>
    public static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "BgpStack.sln")))
            {
                return Path.Combine(dir.FullName, "fuzz", "corpus", "mrt");
            }
        }

        throw new DirectoryNotFoundException("BgpStack.sln not found above " + AppContext.BaseDirectory);
    }
}
