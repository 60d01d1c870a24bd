namespace BgpStack.Bgp.Tests.Wire;

/// <summary>Hex helpers for writing messages in tests the way captures show them.</summary>
internal static class Hex
{
    /// <summary>Parses hex, ignoring spaces and newlines.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    /// <summary>A whole message: marker, length, type, body.</summary>
    public static byte[] Message(byte type, string bodyHex)
    {
        var body = Bytes(bodyHex);
        var message = new byte[19 + body.Length];
        message.AsSpan(0, 16).Fill(0xFF);
        message[16] = (byte)(message.Length >> 8);
        message[17] = (byte)message.Length;
        message[18] = type;
        body.CopyTo(message, 19);
        return message;
    }
}
