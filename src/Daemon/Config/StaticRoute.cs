using BgpStack.Rib;

namespace BgpStack.Daemon.Config;

/// <summary>A route the daemon originates into BGP from its configuration.</summary>
/// <param name="Prefix">The prefix announced.</param>
/// <param name="Attributes">
/// Its attributes: ORIGIN, an empty AS_PATH and any configured communities, large communities,
/// MED and LOCAL_PREF. No NEXT_HOP: the speaker sets its own address toward each peer.
/// </param>
internal sealed record StaticRoute(IpPrefix Prefix, PathAttributes Attributes);
