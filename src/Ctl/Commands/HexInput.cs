namespace BgpStack.Ctl.Commands;

/// <summary>Parses hex the way captures and router logs show it: spaces, colons and line breaks between digits are ignored.</summary>
internal static class HexInput
{
    /// <summary>Parses hex text into octets.</summary>
    /// <param name="text">The text.</param>
    /// <param name="octets">The octets.</param>
    /// <param name="problem">What is wrong with the text.</param>
    /// <returns>True when the text is hex.</returns>
    public static bool TryParse(string text, out byte[] octets, out string? problem)
    {
        octets = [];
        problem = null;
        var digits = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ':')
            {
                continue;
            }

            if (c == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
            {
                i++; // a 0x prefix on a word
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                problem = $"'{c}' at position {i} is not a hex digit";
                return false;
            }

            digits.Append(c);
        }

        if (digits.Length == 0)
        {
            problem = "no hex digits given";
            return false;
        }

        if (digits.Length % 2 != 0)
        {
            problem = $"{digits.Length} hex digits is not a whole number of octets";
            return false;
        }

        octets = Convert.FromHexString(digits.ToString());
        return true;
    }
}
