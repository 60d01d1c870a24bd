using System.Runtime.CompilerServices;

// Tests check that removals touch only the entries they should (RouteTable.EntryVisits).
[assembly: InternalsVisibleTo("BgpStack.Rib.Tests")]
