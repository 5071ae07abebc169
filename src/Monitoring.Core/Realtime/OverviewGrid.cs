namespace Monitoring.Core.Realtime;

/// <summary>
/// Status codes of the overview grid, worst first (the order on-call engineers read them in):
/// one small integer per service instead of a whole <see cref="ServiceStatusDto"/>.
/// </summary>
public static class GridStatus
{
    public const int Unhealthy = 0;
    public const int Degraded = 1;
    public const int Unknown = 2;
    public const int Paused = 3;
    public const int Healthy = 4;

    /// <summary>The API's status words by code.</summary>
    public static readonly IReadOnlyList<string> Names = ["unhealthy", "degraded", "unknown", "paused", "healthy"];

    public static int Code(string? status) => status switch
    {
        "healthy" => Healthy,
        "degraded" => Degraded,
        "unhealthy" => Unhealthy,
        "paused" => Paused,
        _ => Unknown,
    };
}

/// <summary>One tile of the overview grid: what it shows, nothing else (no latency, no message).</summary>
public sealed record GridTile(long Id, string Name, int Status);

/// <summary>
/// Tiles whose name or status changed, added tiles and removed ids since sequence - 1, for the
/// <c>overview</c> group. A check result that changes only latency is not in it.
/// </summary>
public sealed record GridDelta(long Sequence, IReadOnlyList<GridTile> Changed, IReadOnlyList<long> Removed, DateTimeOffset? SentAt = null);

/// <summary>
/// Every tile, ordered by name (case-insensitive, then id), as parallel arrays: the compact
/// body of <c>GET /api/v1/overview/grid</c>. <see cref="Sequence"/> is the <see cref="GridDelta"/> it follows.
/// </summary>
public sealed record GridSnapshot(long Sequence, IReadOnlyList<long> Ids, IReadOnlyList<string> Names, IReadOnlyList<int> Statuses);
