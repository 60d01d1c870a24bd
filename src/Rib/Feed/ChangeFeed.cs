namespace BgpStack.Rib.Feed;

/// <summary>
/// The publishing side of the Loc-RIB change feed, owned by the RIB loop (one thread, no locks).
/// The loop publishes changes as it decides them and flushes after each turn; each subscriber's
/// changes are coalesced per prefix while it is slow. Ingest waits for a subscriber only once that
/// subscriber's pending buffer is full (<see cref="MustWait"/>), so the bound on memory is the
/// subscribers' buffers and the stall is never longer than a subscriber needs to take one batch.
/// </summary>
public sealed class ChangeFeed
{
    private readonly List<ChangeSubscription> subscribers = [];
    private bool completed;

    /// <summary>The live subscriptions.</summary>
    public IReadOnlyList<ChangeSubscription> Subscribers => subscribers;

    /// <summary>True when a subscriber's pending buffer is full and its channel has no room.</summary>
    public bool MustWait
    {
        get
        {
            foreach (var subscriber in subscribers)
            {
                if (subscriber.IsFull)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>True when some subscriber has changes pending.</summary>
    public bool HasPending
    {
        get
        {
            foreach (var subscriber in subscribers)
            {
                if (subscriber.HasPending)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Adds a subscriber; it sees the changes published from now on.</summary>
    /// <param name="options">Its limits; <see cref="ChangeSubscriptionOptions.Default"/> when null.</param>
    /// <returns>The subscription.</returns>
    public ChangeSubscription Subscribe(ChangeSubscriptionOptions? options = null) => Subscribe(options, replayFollows: false);

    /// <summary>Adds a subscriber; when a replay follows, its owner marks the replay's end on the subscription.</summary>
    internal ChangeSubscription Subscribe(ChangeSubscriptionOptions? options, bool replayFollows)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        var subscription = new ChangeSubscription(options ?? ChangeSubscriptionOptions.Default);
        if (!replayFollows)
        {
            subscription.MarkReplayed();
        }

        subscribers.Add(subscription);
        return subscription;
    }

    /// <summary>Publishes a change to every subscriber.</summary>
    /// <param name="change">The change.</param>
    public void Publish(in RibChange change)
    {
        foreach (var subscriber in subscribers)
        {
            subscriber.Add(change);
        }
    }

    /// <summary>
    /// Publishes a change to every subscriber that it concerns
    /// (see <see cref="ChangeSubscriptionOptions.SplitHorizonPeer"/>).
    /// </summary>
    /// <param name="change">The change.</param>
    /// <param name="previousBest">The source of the prefix's best path before the change, null when it had none.</param>
    internal void Publish(in RibChange change, RouteSource? previousBest)
    {
        foreach (var subscriber in subscribers)
        {
            subscriber.Add(change, previousBest);
        }
    }

    /// <summary>Hands pending changes to every subscriber whose channel has room, and drops disposed subscribers.</summary>
    /// <returns>True when nothing is left pending anywhere.</returns>
    public bool Flush()
    {
        var allFlushed = true;
        for (var i = subscribers.Count - 1; i >= 0; i--)
        {
            var subscriber = subscribers[i];
            if (subscriber.IsDisposed)
            {
                subscribers.RemoveAt(i);
                continue;
            }

            allFlushed &= subscriber.TryFlush();
        }

        return allFlushed;
    }

    /// <summary>
    /// Completes when a subscriber that has changes pending may have room in its channel (or when
    /// none has changes pending).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        List<Task>? waits = null;
        foreach (var subscriber in subscribers)
        {
            if (subscriber.HasPending)
            {
                var wait = subscriber.WaitForRoomAsync(cancellationToken);
                if (wait.IsCompleted)
                {
                    return Task.CompletedTask;
                }

                (waits ??= []).Add(wait.AsTask());
            }
        }

        return waits is null ? Task.CompletedTask : Task.WhenAny(waits);
    }

    /// <summary>Hands over what can be handed over and completes every subscriber's channel.</summary>
    /// <param name="error">The error that ended the feed, or null.</param>
    public void Complete(Exception? error = null)
    {
        completed = true;
        foreach (var subscriber in subscribers)
        {
            subscriber.Complete(error);
        }

        subscribers.Clear();
    }
}
