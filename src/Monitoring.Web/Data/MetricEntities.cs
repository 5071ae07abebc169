namespace Monitoring.Web.Data;

// Metric storage. The samples and rollup tables are WITHOUT ROWID tables keyed (series, time),
// created by raw SQL in the Metrics migration (EF Core cannot declare WITHOUT ROWID); the
// entities exist so EF Core knows the schema and tests can read it.

/// <summary>One series: name + service + sorted labels (canonical JSON) → id.</summary>
public sealed class MetricSeriesEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string Service { get; set; } = "";
    /// <summary>Labels as a JSON object with keys in ordinal order.</summary>
    public string LabelsJson { get; set; } = "{}";
    public int Type { get; set; }
    public long CreatedAtMs { get; set; }
}

/// <summary>A raw sample: (series, Unix ms) → value.</summary>
public sealed class MetricSampleEntity
{
    public long SeriesId { get; set; }
    public long Ts { get; set; }
    public double Value { get; set; }
}

/// <summary>
/// The minute rollups (count, sum, min, max, percentile sketch) of one series over one hour, packed:
/// <c>Ts</c> is the hour's start, <c>Mask</c> says which minutes are present; the blob layout is
/// described on <see cref="Metrics.RollupStore"/>.
/// </summary>
public sealed class MetricRollupMinuteEntity
{
    public long SeriesId { get; set; }
    public long Ts { get; set; }
    public long Mask { get; set; }
    public byte[] Stats { get; set; } = [];
    public byte[] Sketches { get; set; } = [];
}

/// <summary>The same over one hour, merged from minute rollups.</summary>
public sealed class MetricRollupHourEntity
{
    public long SeriesId { get; set; }
    public long Ts { get; set; }
    public long Count { get; set; }
    public double Sum { get; set; }
    public double Min { get; set; }
    public double Max { get; set; }
    public byte[] Sketch { get; set; } = [];
}

/// <summary>How far each rollup level is complete (exclusive end, Unix ms).</summary>
public sealed class MetricRollupStateEntity
{
    public required string Level { get; set; }
    public long DoneUntilMs { get; set; }
}
