namespace Monitoring.Core.Checks;

/// <summary>
/// Due-time arithmetic of the scheduler. A service runs at <c>phase + k·interval</c> on the
/// Unix-ms axis, where the phase is a stable hash of its id, so load spreads evenly across
/// the interval and the k-th slot never depends on how late earlier slots ran (no drift).
/// </summary>
public static class ScheduleMath
{
    /// <summary>A stable phase in [0, intervalMs) for a service id (SplitMix64 finaliser).</summary>
    public static long Phase(long serviceId, long intervalMs)
    {
        if (intervalMs <= 0) throw new ArgumentOutOfRangeException(nameof(intervalMs));
        var z = unchecked((ulong)serviceId + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (long)(z % (ulong)intervalMs);
    }

    /// <summary>The first slot strictly after <paramref name="afterMs"/>.</summary>
    public static long NextDueAfter(long afterMs, long phaseMs, long intervalMs)
    {
        var k = FloorDiv(afterMs - phaseMs, intervalMs) + 1;
        return phaseMs + k * intervalMs;
    }

    /// <summary>The first slot at or after <paramref name="atMs"/>.</summary>
    public static long NextDueAtOrAfter(long atMs, long phaseMs, long intervalMs) => NextDueAfter(atMs - 1, phaseMs, intervalMs);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
