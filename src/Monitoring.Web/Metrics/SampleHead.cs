namespace Monitoring.Web.Metrics;

/// <summary>
/// Samples of committed log rows not yet in chunks, per series in arrival order (a later sample
/// with the same timestamp wins). Written by the sample writer only; read under
/// <see cref="SampleStore"/>'s lock. Once frozen it no longer changes.
/// </summary>
internal sealed class SampleHead(long startedAtMs)
{
    internal sealed class SeriesSamples
    {
        public long[] Ts = new long[8];
        public double[] Values = new double[8];
        public int Count;

        public void Add(long ts, double value)
        {
            if (Count == Ts.Length)
            {
                Array.Resize(ref Ts, Count * 2);
                Array.Resize(ref Values, Count * 2);
            }
            Ts[Count] = ts;
            Values[Count] = value;
            Count++;
        }
    }

    public Dictionary<long, SeriesSamples> Series { get; } = [];
    /// <summary>When the first sample arrived (the age trigger of compaction).</summary>
    public long StartedAtMs { get; private set; } = startedAtMs;
    /// <summary>Newest log row whose samples are here (0: none).</summary>
    public long LastLogId { get; private set; }
    public int LogRows { get; private set; }
    public long Count { get; private set; }

    public void Add(long logId, ReadOnlySpan<(long SeriesId, long Ts, double Value)> rows, long nowMs)
    {
        if (Count == 0) StartedAtMs = nowMs;
        SeriesSamples? last = null;
        long lastId = 0;
        foreach (var (seriesId, ts, value) in rows)
        {
            if (last is null || seriesId != lastId)
            {
                if (!Series.TryGetValue(seriesId, out last)) Series[seriesId] = last = new SeriesSamples();
                lastId = seriesId;
            }
            last.Add(ts, value);
        }
        Count += rows.Length;
        LastLogId = Math.Max(LastLogId, logId);
        LogRows++;
    }

    /// <summary>Appends the series' samples within [from, to] in arrival order.</summary>
    public void CopyTo(long seriesId, long fromMs, long toMs, List<StoredSample> into)
    {
        if (!Series.TryGetValue(seriesId, out var s)) return;
        for (var i = 0; i < s.Count; i++)
        {
            var ts = s.Ts[i];
            if (ts >= fromMs && ts <= toMs) into.Add(new StoredSample(ts, s.Values[i]));
        }
    }
}
