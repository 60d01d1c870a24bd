using BgpStack.Bgp.Speaker;

namespace BgpStack.Daemon.Hosting;

/// <summary>Makes the daemon's speaker.</summary>
internal static class SpeakerFactory
{
    /// <summary>Creates the speaker for <paramref name="options"/>.</summary>
    /// <param name="options">The speaker's options.</param>
    /// <exception cref="InvalidOperationException">BgpSpeaker has not landed on this branch yet (merge main).</exception>
    public static ISpeaker Create(BgpSpeakerOptions options) =>
        throw new InvalidOperationException($"this build has no BGP speaker (BgpSpeaker is not merged yet); cannot run {options.Peers.Length} peers");
}
