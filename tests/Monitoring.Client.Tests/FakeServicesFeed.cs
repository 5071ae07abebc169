using Monitoring.Client.Live;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests;

/// <summary>Stands in for the hub: the test decides when the feed connects, what snapshots say and which deltas arrive.</summary>
public sealed class FakeServicesFeed : IServicesFeed
{
    private readonly SemaphoreSlim _snapshotRequested = new(0);
    private int _snapshotRequests;

    public IServicesFeedObserver? Observer { get; private set; }

    /// <summary>Report <see cref="LiveConnectionState.Live"/> as soon as the store starts the feed.</summary>
    public bool ConnectOnStart { get; set; } = true;

    /// <summary>What the next snapshot request answers.</summary>
    public ServicesSnapshot Snapshot { get; set; } = new(0, []);

    /// <summary>When set, the next snapshot request waits for this instead of answering at once.</summary>
    public TaskCompletionSource<ServicesSnapshot>? PendingSnapshot { get; set; }

    public int SnapshotRequests => Volatile.Read(ref _snapshotRequests);

    public async Task StartAsync(IServicesFeedObserver observer, CancellationToken cancellationToken)
    {
        Observer = observer;
        if (ConnectOnStart) await observer.OnConnectionChangedAsync(LiveConnectionState.Live);
    }

    public Task<ServicesSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _snapshotRequests);
        var pending = PendingSnapshot;
        PendingSnapshot = null;
        _snapshotRequested.Release();
        return pending?.Task ?? Task.FromResult(Snapshot);
    }

    public Task PushAsync(ServiceDelta delta) => RequireObserver().OnDeltaAsync(delta);

    public Task SetConnectionAsync(LiveConnectionState state) => RequireObserver().OnConnectionChangedAsync(state);

    /// <summary>Waits until one more snapshot request than already awaited has been made.</summary>
    public Task<bool> WaitForSnapshotRequestAsync() => _snapshotRequested.WaitAsync(TestTimeouts.Signal);

    private IServicesFeedObserver RequireObserver() =>
        Observer ?? throw new InvalidOperationException("The store has not started the feed.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public static class TestTimeouts
{
    public static readonly TimeSpan Signal = TimeSpan.FromSeconds(5);
}
