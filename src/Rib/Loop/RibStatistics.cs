namespace BgpStack.Rib;

/// <summary>Counts describing the RIB at one moment.</summary>
/// <param name="Prefixes">Prefixes with at least one path.</param>
/// <param name="Paths">Paths from every source.</param>
/// <param name="AttributeSets">Distinct interned attribute sets.</param>
/// <param name="Subscribers">Change feed subscribers.</param>
/// <param name="QueuedUpdates">Update batches taken off the input channel and not yet fully processed.</param>
/// <param name="SnapshotsInProgress">Range/table snapshots and replays still being built.</param>
public readonly record struct RibStatistics(int Prefixes, int Paths, int AttributeSets, int Subscribers, int QueuedUpdates, int SnapshotsInProgress);
