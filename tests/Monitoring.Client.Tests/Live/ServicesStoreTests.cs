using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Live;
using Monitoring.Core.Realtime;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Live;

public sealed class ServicesStoreTests : IDisposable
{
    private readonly FakeServicesFeed _feed = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private ServicesStore? _store;

    private ServicesStore CreateStore(int maxServices = 50_000)
    {
        var options = new LiveOptions { MaxServices = maxServices, NotifyInterval = TimeSpan.FromMilliseconds(100) };
        _store = new ServicesStore(_feed, Options.Create(options), _time, NullLogger<ServicesStore>.Instance);
        return _store;
    }

    [Fact]
    public async Task StartAsync_AppliesTheSnapshotOnConnect()
    {
        _feed.Snapshot = Snapshot(7, Service(1, "api"), Service(2, "db", "unhealthy"));
        var store = CreateStore();

        await store.StartAsync();

        Assert.True(store.HasSnapshot);
        Assert.Equal(7, store.Sequence);
        Assert.Equal(LiveConnectionState.Live, store.ConnectionState);
        Assert.Equal(["api", "db"], store.GetServices().Select(s => s.Name).Order());
        Assert.Equal(_time.GetUtcNow(), store.LastUpdatedAt);
    }

    [Fact]
    public async Task StartAsync_CalledTwice_StartsTheFeedOnce()
    {
        var store = CreateStore();

        await store.StartAsync();
        await store.StartAsync();

        Assert.Equal(1, _feed.SnapshotRequests);
    }

    [Fact]
    public async Task Delta_FollowingTheSequence_UpdatesAddsAndRemoves()
    {
        _feed.Snapshot = Snapshot(3, Service(1, "api"), Service(2, "db"));
        var store = CreateStore();
        await store.StartAsync();

        await _feed.PushAsync(new ServiceDelta(4, [Service(1, "api", "unhealthy"), Service(3, "cache")], [2]));

        Assert.Equal(4, store.Sequence);
        Assert.True(store.TryGet(1, out var api));
        Assert.Equal("unhealthy", api!.Status);
        Assert.True(store.TryGet(3, out _));
        Assert.False(store.TryGet(2, out _));
    }

    [Fact]
    public async Task Delta_NotNewerThanTheSnapshot_IsIgnored()
    {
        _feed.Snapshot = Snapshot(5, Service(1, "api"));
        var store = CreateStore();
        await store.StartAsync();

        await _feed.PushAsync(Delta(5, Service(1, "api", "unhealthy")));
        await _feed.PushAsync(Delta(4, Service(1, "api", "degraded")));

        Assert.Equal("healthy", store.GetServices().Single().Status);
        Assert.Equal(5, store.Sequence);
        Assert.Equal(1, _feed.SnapshotRequests);
    }

    [Fact]
    public async Task Delta_AfterAGap_RequestsANewSnapshot()
    {
        _feed.Snapshot = Snapshot(5, Service(1, "api"));
        var store = CreateStore();
        await store.StartAsync();
        Assert.True(await _feed.WaitForSnapshotRequestAsync());

        _feed.Snapshot = Snapshot(9, Service(1, "api", "degraded"));
        await _feed.PushAsync(Delta(7, Service(1, "api", "unhealthy")));

        Assert.True(await _feed.WaitForSnapshotRequestAsync());
        Assert.Equal(2, _feed.SnapshotRequests);
        Assert.Equal(9, store.Sequence);
        Assert.Equal("degraded", store.GetServices().Single().Status);
    }

    [Fact]
    public async Task Reconnect_RequestsANewSnapshot()
    {
        _feed.Snapshot = Snapshot(5, Service(1, "api"));
        var store = CreateStore();
        await store.StartAsync();

        await _feed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        Assert.Equal(LiveConnectionState.Reconnecting, store.ConnectionState);
        // The server restarted: its sequence starts over, lower than ours.
        _feed.Snapshot = Snapshot(1, Service(1, "api", "unhealthy"));
        await _feed.SetConnectionAsync(LiveConnectionState.Live);

        Assert.Equal(2, _feed.SnapshotRequests);
        Assert.Equal(1, store.Sequence);
        Assert.Equal("unhealthy", store.GetServices().Single().Status);
        await _feed.PushAsync(Delta(2, Service(1, "api", "healthy")));
        Assert.Equal("healthy", store.GetServices().Single().Status);
    }

    [Fact]
    public async Task DeltasArrivingBeforeTheSnapshotReply_AreReplayedAfterIt()
    {
        var reply = new TaskCompletionSource<ServicesSnapshot>();
        _feed.PendingSnapshot = reply;
        var store = CreateStore();
        await store.StartAsync();
        using var applied = new SemaphoreSlim(0);
        using var subscription = store.OnChanged(() => { applied.Release(); return Task.CompletedTask; });

        await _feed.PushAsync(Delta(10, Service(1, "api", "degraded")));
        await _feed.PushAsync(Delta(11, Service(1, "api", "unhealthy")));
        Assert.False(store.HasSnapshot);
        reply.SetResult(Snapshot(10, Service(1, "api")));

        Assert.True(await applied.WaitAsync(TestTimeouts.Signal));
        Assert.Equal(11, store.Sequence);
        Assert.Equal("unhealthy", store.GetServices().Single().Status);
        Assert.Equal(1, _feed.SnapshotRequests);
    }

    [Fact]
    public async Task Capacity_CapsTheServicesHeldAndSaysSo()
    {
        _feed.Snapshot = Snapshot(1, [.. Enumerable.Range(1, 5).Select(i => Service(i, $"svc-{i}"))]);
        var store = CreateStore(maxServices: 3);

        await store.StartAsync();
        Assert.Equal(3, store.Count);
        Assert.True(store.IsTruncated);

        await _feed.PushAsync(Delta(2, Service(1, "svc-1", "unhealthy"), Service(99, "new")));
        Assert.Equal(3, store.Count);
        Assert.False(store.TryGet(99, out _));
        Assert.True(store.TryGet(1, out var updated));
        Assert.Equal("unhealthy", updated!.Status);
    }

    [Fact]
    public async Task OnChanged_CoalescesSeveralDeltasIntoOneCallback()
    {
        _feed.Snapshot = Snapshot(0, Service(1, "api"));
        var store = CreateStore();
        await store.StartAsync();
        var calls = 0;
        long seenSequence = -1;
        using var called = new SemaphoreSlim(0);
        using var subscription = store.OnChanged(() =>
        {
            Interlocked.Increment(ref calls);
            Volatile.Write(ref seenSequence, store.Sequence);
            called.Release();
            return Task.CompletedTask;
        });

        // The first change after a quiet period is passed on at once…
        await _feed.PushAsync(Delta(1, Service(1, "api", "degraded")));
        Assert.True(await called.WaitAsync(TestTimeouts.Signal));
        Assert.Equal(1, calls);

        // …the next ones within 100 ms fold into one trailing callback that sees the newest state.
        await _feed.PushAsync(Delta(2, Service(1, "api", "unhealthy")));
        await _feed.PushAsync(Delta(3, Service(1, "api", "healthy")));
        await _feed.PushAsync(Delta(4, Service(1, "api", "degraded")));
        Assert.True(await AdvanceUntilSignalledAsync(called));
        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.Equal(4, Volatile.Read(ref seenSequence));

        // Nothing else was left scheduled: one more change gives exactly one more callback.
        _time.Advance(TimeSpan.FromSeconds(1));
        await _feed.PushAsync(Delta(5, Service(1, "api", "healthy")));
        Assert.True(await called.WaitAsync(TestTimeouts.Signal));
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task OnChanged_AfterDispose_IsNotCalled()
    {
        _feed.Snapshot = Snapshot(0, Service(1, "api"));
        var store = CreateStore();
        await store.StartAsync();
        var calls = 0;
        var subscription = store.OnChanged(() => { Interlocked.Increment(ref calls); return Task.CompletedTask; });
        using var other = new SemaphoreSlim(0);
        using var witness = store.OnChanged(() => { other.Release(); return Task.CompletedTask; });

        subscription.Dispose();
        await _feed.PushAsync(Delta(1, Service(1, "api", "unhealthy")));

        // The witness subscription shows the change was announced; the disposed one stayed silent.
        Assert.True(await other.WaitAsync(TestTimeouts.Signal));
        Assert.Equal(0, calls);
    }

    /// <summary>
    /// Moves fake time on in interval steps until <paramref name="signal"/> fires. The trailing run
    /// registers its delay on another thread, so one Advance could come before the delay exists;
    /// extra steps cannot add callbacks because at most one run is ever scheduled.
    /// </summary>
    private async Task<bool> AdvanceUntilSignalledAsync(SemaphoreSlim signal)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Signal;
        while (DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            if (await signal.WaitAsync(TimeSpan.FromMilliseconds(20))) return true;
        }
        return false;
    }

    public void Dispose() => _store?.Dispose();
}
