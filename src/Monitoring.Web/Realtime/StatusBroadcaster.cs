using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Realtime;

/// <summary>
/// Sends service changes, coalesced: every <c>CoalesceMs</c> the ids that changed are taken from
/// the state cache and sent as one <see cref="GridDelta"/> to the overview group (only tiles whose
/// name or status changed: a latency-only result costs the overview nothing), one full
/// <see cref="ServiceDelta"/> to the <c>services</c> group when anybody is in it (pages that show
/// latency), and one delta per watched service to its <c>service:{id}</c> group, each serialized
/// once for its group. A burst of thousands of results becomes a few messages a second per group.
/// Sends go through <see cref="GroupSender"/>, so a stalled browser never holds up the next tick.
/// </summary>
public sealed partial class StatusBroadcaster(
    ServiceRegistry registry,
    ServiceStateCache states,
    HubGroups groups,
    GroupSender sender,
    AppMetrics metrics,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<StatusBroadcaster> logger) : BackgroundService
{
    private readonly Lock _sequenceLock = new();
    // Sequence of each watched service's group; entries go when the group empties.
    private readonly Dictionary<long, long> _serviceSequences = [];
    // What the overview group was last told about each tile; a grid snapshot is built from it, so
    // its sequence describes exactly the grid deltas before it. One entry per registered service.
    private Dictionary<long, GridTile>? _tiles;
    private long _sequence;
    private long _gridSequence;
    private int _clients;

    public void ClientConnected() => Interlocked.Increment(ref _clients);
    public void ClientDisconnected() => Interlocked.Decrement(ref _clients);

    public int ConnectedClients => Volatile.Read(ref _clients);

    public bool Exists(long id) => registry.TryGet(id, out _);

    /// <summary>The full state with the sequence number the next delta follows.</summary>
    public ServicesSnapshot Snapshot()
    {
        lock (_sequenceLock)
        {
            var list = registry.All.OrderBy(s => s.Id).Select(s => s.ToStatusDto(states.Get(s.Id))).ToList();
            return new ServicesSnapshot(_sequence, list);
        }
    }

    /// <summary>Every tile by name, as the overview grid shows it, with the sequence the next <see cref="GridDelta"/> follows.</summary>
    public GridSnapshot GridSnapshot()
    {
        GridTile[] tiles;
        long sequence;
        lock (_sequenceLock)
        {
            tiles = [.. Tiles().Values];
            sequence = _gridSequence;
        }
        // Sorting 10,000 names takes a few ms: outside the lock, so the next tick isn't held up.
        Array.Sort(tiles, CompareTiles);
        var ids = new long[tiles.Length];
        var names = new string[tiles.Length];
        var statuses = new int[tiles.Length];
        for (var i = 0; i < tiles.Length; i++) (ids[i], names[i], statuses[i]) = (tiles[i].Id, tiles[i].Name, tiles[i].Status);
        return new GridSnapshot(sequence, ids, names, statuses);
    }

    private static int CompareTiles(GridTile a, GridTile b)
    {
        var byName = StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name);
        return byName != 0 ? byName : a.Id.CompareTo(b.Id);
    }

    private GridTile Tile(ServiceDefinition s) => new(s.Id, s.Name, GridStatus.Code(s.ToStatusDto(states.Get(s.Id)).Status));

    // Callers hold _sequenceLock. Built on first use from the registry: the state before any grid delta.
    private Dictionary<long, GridTile> Tiles() => _tiles ??= registry.All.ToDictionary(s => s.Id, Tile);

    /// <summary>One service's state with the sequence its <c>service:{id}</c> deltas follow.</summary>
    public ServicesSnapshot ServiceSnapshot(long id)
    {
        lock (_sequenceLock)
        {
            var seq = _serviceSequences.GetValueOrDefault(id);
            _serviceSequences[id] = seq;
            IReadOnlyList<ServiceStatusDto> list = registry.TryGet(id, out var s) ? [s.ToStatusDto(states.Get(id))] : [];
            return new ServicesSnapshot(seq, list);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("monitoring_hub_connected_clients", "Browsers connected to the live hub.", () => Volatile.Read(ref _clients));
        metrics.Gauge("monitoring_hub_pending_changes", "Changed services waiting for the next delta.", () => states.DirtyCount);
        metrics.Gauge("monitoring_hub_groups", "Hub groups (service:{id}, metric:{name}) with members.", () => groups.GroupCount);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Realtime.CoalesceMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                Flush();
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
        }
    }

    public Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    private void Flush()
    {
        ServiceDelta? delta = null;
        GridDelta? gridDelta = null;
        var perService = new List<(string Group, ServiceDelta Delta)>();
        // The snapshots and the deltas take the same lock, so a snapshot's sequence always
        // describes exactly the changes taken before it.
        lock (_sequenceLock)
        {
            var dirty = states.TakeDirty();
            if (dirty.Count == 0) return;
            var sentAt = time.GetUtcNow();
            var tiles = Tiles();
            // Nobody watching every service at full rate: its delta is not even built. A client that
            // joins later takes a snapshot, which holds these changes.
            var full = groups.HasMembers(MonitoringHubContract.ServicesGroup);
            var changed = new List<ServiceStatusDto>(full ? dirty.Count : 0);
            var removed = new List<long>();
            var changedTiles = new List<GridTile>();
            var removedTiles = new List<long>();
            foreach (var id in dirty)
            {
                ServiceStatusDto? dto = null;
                if (registry.TryGet(id, out var s))
                {
                    dto = s.ToStatusDto(states.Get(id));
                    if (full) changed.Add(dto);
                    var tile = new GridTile(id, s.Name, GridStatus.Code(dto.Status));
                    if (!tiles.TryGetValue(id, out var old) || old != tile)
                    {
                        tiles[id] = tile;
                        changedTiles.Add(tile);
                    }
                }
                else
                {
                    removed.Add(id);
                    if (tiles.Remove(id)) removedTiles.Add(id);
                }

                var group = HubGroups.ServiceGroup(id);
                if (!groups.HasMembers(group))
                {
                    _serviceSequences.Remove(id);
                    continue;
                }
                var seq = _serviceSequences.GetValueOrDefault(id) + 1;
                _serviceSequences[id] = seq;
                perService.Add((group, dto is null ? new ServiceDelta(seq, [], [id], sentAt) : new ServiceDelta(seq, [dto], [], sentAt)));
            }
            if (full) delta = new ServiceDelta(++_sequence, changed, removed, sentAt);
            if (changedTiles.Count > 0 || removedTiles.Count > 0) gridDelta = new GridDelta(++_gridSequence, changedTiles, removedTiles, sentAt);
        }
        if (gridDelta is not null) sender.Send(MonitoringHubContract.OverviewGroup, MonitoringHubContract.GridChanged, gridDelta);
        if (delta is not null) sender.Send(MonitoringHubContract.ServicesGroup, MonitoringHubContract.ServicesChanged, delta);
        foreach (var (group, d) in perService) sender.Send(group, MonitoringHubContract.ServicesChanged, d);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcasting service changes failed")]
    private partial void LogFailed(Exception ex);
}
