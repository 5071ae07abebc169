using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Live;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests.Live;

public sealed class GridStoreTests : IDisposable
{
    private readonly FakeLiveFeed _feed = new();
    private readonly FakeGridView _view = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private GridStore? _store;

    private async Task<GridStore> StartedAsync(long snapshot)
    {
        _view.Sequence = snapshot;
        _store = new GridStore(_feed, _view, Options.Create(new LiveOptions { MaxPendingDeltas = 3 }), _time, NullLogger<GridStore>.Instance);
        await _store.StartAsync();
        await _feed.SetConnectionAsync(LiveConnectionState.Live);
        await Eventually.WaitAsync(() => _store.HasSnapshot);
        return _store;
    }

    private static GridDelta Delta(long sequence, long id = 1, int status = GridStatus.Unhealthy) =>
        new(sequence, [new GridTile(id, $"svc{id}", status)], []);

    [Fact]
    public async Task TheFirstSnapshotKeepsAGridAlreadyPaintedThenDeltasFollowInOrder()
    {
        var store = await StartedAsync(5);
        Assert.Equal([false], _view.LoadsSoFar());
        Assert.True(_feed.Started);

        await _feed.PushGridAsync(Delta(6));
        await _feed.PushGridAsync(Delta(7));
        await _feed.PushGridAsync(Delta(7)); // a repeat
        await _feed.PushGridAsync(Delta(4)); // older than the snapshot

        Assert.Equal([6L, 7L], _view.AppliedSoFar());
        Assert.Equal(7, store.Sequence);
    }

    [Fact]
    public async Task AGapLoadsAFreshSnapshotAndDeltasFollowIt()
    {
        var store = await StartedAsync(5);
        await _feed.PushGridAsync(Delta(6));

        _view.Sequence = 9;
        await _feed.PushGridAsync(Delta(8)); // 7 went missing
        await Eventually.WaitAsync(() => _view.LoadsSoFar().Count == 2 && store.Sequence == 9);
        Assert.Equal([false, true], _view.LoadsSoFar());

        await _feed.PushGridAsync(Delta(10));
        Assert.Equal([6L, 10L], _view.AppliedSoFar());
    }

    [Fact]
    public async Task DeltasThatArriveWhileASnapshotLoadsAreReplayedAfterIt()
    {
        _view.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _view.Sequence = 5;
        _store = new GridStore(_feed, _view, Options.Create(new LiveOptions()), _time, NullLogger<GridStore>.Instance);
        await _store.StartAsync();
        await _feed.SetConnectionAsync(LiveConnectionState.Live);
        await Eventually.WaitAsync(() => _view.LoadsSoFar().Count == 1);

        await _feed.PushGridAsync(Delta(5)); // in the snapshot already
        await _feed.PushGridAsync(Delta(7));
        await _feed.PushGridAsync(Delta(6));
        _view.Gate.SetResult();

        await Eventually.WaitAsync(() => _store.Sequence == 7);
        Assert.Equal([6L, 7L], _view.AppliedSoFar());
        await _feed.PushGridAsync(Delta(8));
        Assert.Equal([6L, 7L, 8L], _view.AppliedSoFar());
    }

    [Fact]
    public async Task TooManyDeltasDuringALoadLoadAgain()
    {
        _view.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new GridStore(_feed, _view, Options.Create(new LiveOptions { MaxPendingDeltas = 2 }), _time, NullLogger<GridStore>.Instance);
        _store = store;
        _view.Sequence = 1;
        await store.StartAsync();
        await _feed.SetConnectionAsync(LiveConnectionState.Live);
        await Eventually.WaitAsync(() => _view.LoadsSoFar().Count == 1);
        for (var s = 2; s <= 5; s++) await _feed.PushGridAsync(Delta(s));

        _view.Sequence = 5;
        _view.Gate.SetResult();

        await Eventually.WaitAsync(() => _view.LoadsSoFar().Count == 2 && store.Sequence == 5);
        Assert.Equal([false, true], _view.LoadsSoFar());
        Assert.Empty(_view.AppliedSoFar());
    }

    [Fact]
    public async Task AReconnectionLoadsAFreshSnapshot()
    {
        var store = await StartedAsync(5);
        await _feed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        _view.Sequence = 40;
        await _feed.SetConnectionAsync(LiveConnectionState.Live);

        await Eventually.WaitAsync(() => store.Sequence == 40);
        Assert.Equal([false, true], _view.LoadsSoFar());
    }

    [Fact]
    public async Task SubscribersHearAboutAppliedDeltas()
    {
        var store = await StartedAsync(5);
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = store.OnChanged(() => { heard.TrySetResult(); return Task.CompletedTask; });

        await _feed.PushGridAsync(Delta(6));
        _time.Advance(TimeSpan.FromSeconds(1));

        await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _store?.Dispose();
}
