using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// Where the overview grid's tiles live: the grid.js module in the browser (<see cref="GridModule"/>),
/// a fake in tests. It holds the snapshot itself, so 10,000 tiles never pass through .NET.
/// </summary>
public interface IGridView
{
    /// <summary>
    /// Loads the grid snapshot (<c>GET /api/v1/overview/grid</c>) and returns its sequence. Without
    /// <paramref name="force"/> a snapshot already held (e.g. painted before the app started) is kept.
    /// </summary>
    Task<long> LoadAsync(bool force, CancellationToken cancellationToken);

    /// <summary>Applies one delta that follows the held snapshot.</summary>
    Task ApplyAsync(GridDelta delta, CancellationToken cancellationToken);
}
