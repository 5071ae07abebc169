using Monitoring.Client.Live;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests;

/// <summary>Stands in for grid.js: answers loads with <see cref="Sequence"/> and records what it was asked.</summary>
public sealed class FakeGridView : IGridView
{
    private readonly Lock _lock = new();

    /// <summary>The sequence the next load answers.</summary>
    public long Sequence { get; set; }

    /// <summary>When set, loads wait for it (a snapshot in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public List<bool> Loads { get; } = [];

    public List<long> Applied { get; } = [];

    public async Task<long> LoadAsync(bool force, CancellationToken cancellationToken)
    {
        lock (_lock) Loads.Add(force);
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return Sequence;
    }

    public Task ApplyAsync(GridDelta delta, CancellationToken cancellationToken)
    {
        lock (_lock) Applied.Add(delta.Sequence);
        return Task.CompletedTask;
    }

    public List<bool> LoadsSoFar() { lock (_lock) return [.. Loads]; }

    public List<long> AppliedSoFar() { lock (_lock) return [.. Applied]; }
}
