using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>
/// Random OPENs and UPDATEs from the codec's FsCheck generators (a fixed seed, so a failure
/// repeats), narrowed to what Wireshark 4.0 dissects: no RFC 9072 extended optional parameters,
/// only IPv4/IPv6 unicast in MP_REACH/MP_UNREACH, no IPv6 address specific extended communities,
/// unknown attributes moved to type codes Wireshark has no dissector for, a link-local address
/// wherever a 32-octet next hop needs one (RFC 2545 §3), and no ADD-PATH. Wireshark detects ADD-PATH
/// path identifiers by a heuristic that takes any NLRI field holding a /0 among other prefixes for
/// ADD-PATH, so random default routes are dropped from fields with more than one prefix.
/// </summary>
public abstract class RandomCapture : AgreementCapture
{
    /// <summary>How many messages of each kind the capture holds.</summary>
    public const int Count = 100;

    /// <summary>Fills the capture with random messages encoded under <paramref name="context"/>.</summary>
    protected void AddRandom(CodecContext context, ulong seed, bool opens)
    {
        var random = new Rnd(seed);
        if (opens)
        {
            var sampled = Gen.Sample(OpenGenerators.Open(), Count * 2, random, 30)
                .Select(o => OpenGenerators.Canonical(o with { ExtendedOptionalParameters = false }))
                .Where(o => !OpenGenerators.NeedsExtendedParameters(o.Capabilities, o.Layout == OptionalParameterLayout.SingleParameter))
                .Select(o => o with { Capabilities = o.Capabilities.Select(ForWireshark).ToEquatableArray() })
                .Take(Count);
            var i = 0;
            foreach (var open in sampled)
            {
                TryAdd($"open-{i++}", open, CodecContext.Default);
            }
        }

        var updates = Gen.Sample(UpdateGenerators.Update(context), Count, random, 30);
        for (var i = 0; i < updates.Length; i++)
        {
            TryAdd($"update-{i}", ForWireshark(updates[i]), context);
        }
    }

    /// <summary>The capability, with an unknown code moved to one Wireshark 4.0 shows undecoded.</summary>
    private static Capability ForWireshark(Capability capability) =>
        capability is UnknownCapability unknown ? unknown with { RawCode = (byte)(200 + unknown.RawCode % 40) } : capability;

    private static UpdateMessage ForWireshark(UpdateMessage update)
    {
        var unknown = update.Attributes.UnknownAttributes.Select((a, i) => a with { TypeCode = (byte)(241 + i) }).ToEquatableArray();
        return update with
        {
            WithdrawnRoutes = WithoutDefaultRoute(update.WithdrawnRoutes),
            Nlri = WithoutDefaultRoute(update.Nlri),
            Attributes = update.Attributes with { Ipv6ExtendedCommunities = default, UnknownAttributes = unknown },
            MpReach = update.MpReach is { Family.IsUnicastIp: true } reach
                ? reach with { NextHop = WithLinkLocal(reach.NextHop), Nlri = WithoutDefaultRoute(reach.Nlri) }
                : null,
            MpUnreach = update.MpUnreach is { Family.IsUnicastIp: true } unreach ? unreach with { Nlri = WithoutDefaultRoute(unreach.Nlri) } : null,
        };
    }

    private static EquatableArray<Nlri> WithoutDefaultRoute(EquatableArray<Nlri> nlri) =>
        nlri.Count > 1 ? nlri.Where(n => n.Prefix.Length > 0).ToEquatableArray() : nlri;

    private static EquatableArray<byte> WithLinkLocal(EquatableArray<byte> nextHop)
    {
        if (nextHop.Count != 32)
        {
            return nextHop;
        }

        var bytes = nextHop.AsSpan().ToArray();
        bytes[16] = 0xFE;
        bytes[17] = 0x80;
        bytes.AsSpan(18, 6).Clear();
        return bytes;
    }
}

public sealed class FourOctetRandomCapture : RandomCapture
{
    public FourOctetRandomCapture() => AddRandom(CodecContext.Default, 20261121, opens: true);
}

public sealed class TwoOctetRandomCapture : RandomCapture
{
    public TwoOctetRandomCapture() => AddRandom(CodecContext.Default with { FourOctetAs = false }, 4271, opens: false);

    protected override bool FourOctetAs => false;
}

public sealed class RandomMessageAgreementTests(FourOctetRandomCapture fourOctet, TwoOctetRandomCapture twoOctet)
    : IClassFixture<FourOctetRandomCapture>, IClassFixture<TwoOctetRandomCapture>
{
    [Fact]
    public void Wireshark_agrees_with_random_opens_and_updates_toward_a_four_octet_peer()
    {
        Assert.True(fourOctet.Names.Count() >= RandomCapture.Count * 3 / 2, $"only {fourOctet.Names.Count()} messages fit");
        fourOctet.AssertAllAgree();
    }

    [Fact]
    public void Wireshark_agrees_with_random_updates_toward_a_two_octet_peer()
    {
        Assert.True(twoOctet.Names.Count() >= RandomCapture.Count * 3 / 4, $"only {twoOctet.Names.Count()} messages fit");
        twoOctet.AssertAllAgree();
    }
}
