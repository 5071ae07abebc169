namespace Monitoring.Web.Data;

// Metric storage. Raw samples live in the ingest log and in chunks (see Metrics/SampleStore); the
// rollup tables are WITHOUT ROWID tables keyed (series, time), created by raw SQL in the Metrics
// migration (EF Core cannot declare WITHOUT ROWID); the entities exist so EF Core knows the schema.

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

/// <summary>
/// One group commit of the sample writer: <see cref="Count"/> samples of any series packed in
/// <see cref="Payload"/>. The durable record of samples not yet in chunks; deleted by compaction.
/// The id is AUTOINCREMENT: never reused, it orders writes (and becomes the chunks' <c>Seq</c>).
/// </summary>
public sealed class MetricIngestLogEntity
{
    public long Id { get; set; }
    public int Count { get; set; }
    public byte[] Payload { get; set; } = [];
}

/// <summary>
/// Raw samples of one series, StartTs ≤ ts ≤ EndTs (span under an hour), encoded by
/// <c>SampleCodec</c>. <see cref="Seq"/> is the last log id of the compaction that wrote it (0 for
/// rows moved from the old samples table): for one (series, ts) the chunk with the higher Seq wins.
/// A rowid table (the index holds the key) so a ~3 KB chunk stays in its page.
/// </summary>
public sealed class MetricChunkEntity
{
    public long Id { get; set; }
    public long SeriesId { get; set; }
    public long StartTs { get; set; }
    public long EndTs { get; set; }
    public long Seq { get; set; }
    public int Count { get; set; }
    public byte[] Data { get; set; } = [];
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
