using Monitoring.Core.Metrics;

namespace Monitoring.Web.Metrics;

/// <summary>
/// A series as named by requests (name, service, sorted labels and the series key), shared by
/// every sample that names it, so a sample carries a reference instead of its own strings.
/// <see cref="Series"/> is filled in once the series is found committed in the catalog.
/// </summary>
public sealed class SeriesIdentity(string key, string name, string service, KeyValuePair<string, string>[] labels)
{
    public string Key { get; } = key;
    public string Name { get; } = name;
    public string Service { get; } = service;
    public KeyValuePair<string, string>[] Labels { get; } = labels;

    /// <summary>The committed series, once known (never a series of an uncommitted transaction).</summary>
    internal volatile SeriesInfo? Series;

    /// <summary>The committed series: cached, else from the catalog (and then cached).</summary>
    internal bool TryResolve(MetricSeriesCatalog catalog, out SeriesInfo series)
    {
        if (Series is { } known)
        {
            series = known;
            return true;
        }
        if (!catalog.TryGet(Key, out series)) return false;
        Series = series;
        return true;
    }
}

/// <summary>A validated sample on its way to the writer: 32 bytes, no strings of its own.</summary>
public readonly record struct IngestSample(SeriesIdentity Identity, MetricType Type, long TimestampMs, double Value)
{
    public static IngestSample From(in ValidSample s) =>
        new(new SeriesIdentity(s.Key, s.Name, s.Service, s.Labels), s.Type, s.TimestampMs, s.Value);

    public static IngestSample[] From(ReadOnlySpan<ValidSample> samples)
    {
        var result = new IngestSample[samples.Length];
        for (var i = 0; i < samples.Length; i++) result[i] = From(samples[i]);
        return result;
    }
}
