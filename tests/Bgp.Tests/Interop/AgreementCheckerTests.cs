using BgpStack.Bgp.Tests.Wire;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>The agreement checker itself: it must notice when Wireshark complains and when the model and the dissection differ.</summary>
public class AgreementCheckerTests
{
    [Fact]
    public void Wireshark_complaints_and_field_mismatches_are_reported()
    {
        // An UPDATE whose EXTENDED COMMUNITIES attribute is 9 octets long (not a multiple of 8).
        var malformed = Hex.Message(2, "0000 000C C010 09 0002FDE800000064 00");
        var notification = new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.PeerDeconfigured);
        var notificationOctets = notification.ToBytes(CodecContext.Default);
        var dissections = Tshark.Dissect([malformed, notificationOctets]);

        Assert.Contains(dissections[0].Problems, p => p.Contains("Community length", StringComparison.Ordinal));
        Assert.Empty(dissections[1].Problems);

        WiresharkAgreement.AssertAgrees(notification, notificationOctets, dissections[1], CodecContext.Default);
        var wrongSubcode = notification with { Subcode = (byte)CeaseSubcode.AdministrativeReset };
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => WiresharkAgreement.AssertAgrees(wrongSubcode, notificationOctets, dissections[1], CodecContext.Default));
    }
}
