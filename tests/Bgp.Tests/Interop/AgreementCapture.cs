using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>One message of a capture: a name for test output, our model, its octets and the context it was encoded under.</summary>
internal sealed record CapturedMessage(string Name, BgpMessage Message, byte[] Octets, CodecContext Context);

/// <summary>
/// A set of messages encoded by our codec, written to one pcap and dissected by tshark once
/// (starting tshark takes about a second), so each test only looks up its own frame.
/// </summary>
public abstract class AgreementCapture
{
    private readonly List<CapturedMessage> messages = [];
    private IReadOnlyList<Dissection>? dissections;

    /// <summary>Whether Wireshark is told to read 4-octet AS numbers (true) or 2-octet ones.</summary>
    protected virtual bool FourOctetAs => true;

    /// <summary>Encodes <paramref name="message"/> under <paramref name="context"/> and adds it to the capture.</summary>
    protected void Add(string name, BgpMessage message, CodecContext? context = null)
    {
        context ??= CodecContext.Default;
        messages.Add(new CapturedMessage(name, message, message.ToBytes(context), context));
    }

    /// <summary>Adds <paramref name="message"/> unless it does not fit in one message; returns whether it was added.</summary>
    protected bool TryAdd(string name, BgpMessage message, CodecContext context)
    {
        try
        {
            Add(name, message, context);
            return true;
        }
        catch (MessageTooLargeException)
        {
            return false;
        }
    }

    /// <summary>The names of the messages in the capture.</summary>
    public IEnumerable<string> Names => messages.Select(m => m.Name);

    /// <summary>
    /// Decodes the named message back with our decoder, checks it equals the model it was encoded
    /// from, and checks that Wireshark's dissection agrees with it field by field.
    /// </summary>
    public void AssertAgreement(string name)
    {
        dissections ??= Tshark.Dissect([.. messages.Select(m => m.Octets)], FourOctetAs);
        var index = messages.FindIndex(m => m.Name == name);
        Assert.True(index >= 0, $"no message named {name}");
        var captured = messages[index];
        var decoded = BgpMessage.Decode(captured.Octets, captured.Context);
        Assert.True(decoded.IsSuccess, $"{name}: our decoder rejects our own encoding: {decoded.Error}");
        Assert.Equal(captured.Message, decoded.Value);
        WiresharkAgreement.AssertAgrees(decoded.Value!, captured.Octets, dissections[index], captured.Context);
    }

    /// <summary>Checks every message of the capture.</summary>
    public void AssertAllAgree()
    {
        foreach (var message in messages)
        {
            try
            {
                AssertAgreement(message.Name);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"{message.Name}: {message.Message}\n{Convert.ToHexString(message.Octets)}\n{e.Message}");
            }
        }
    }
}
