using System.Text;
using BgpStack.Bgp.Transport.Interop;

namespace BgpStack.Bgp.Transport;

/// <summary>Checks TCP MD5 passwords against what the kernel accepts.</summary>
internal static class Md5Key
{
    /// <summary>Throws when <paramref name="password"/> is longer than 80 octets in UTF-8.</summary>
    /// <param name="password">The password (null or empty means none).</param>
    /// <param name="parameterName">The name to report.</param>
    internal static void Validate(string? password, string parameterName)
    {
        if (password is { Length: > 0 } && Encoding.UTF8.GetByteCount(password) > LinuxSocketOptions.TCP_MD5SIG_MAXKEYLEN)
        {
            throw new ArgumentException($"The TCP MD5 password is longer than {LinuxSocketOptions.TCP_MD5SIG_MAXKEYLEN} octets.", parameterName);
        }
    }
}
