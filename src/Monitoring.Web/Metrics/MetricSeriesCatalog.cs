using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>A known series: its id and identity.</summary>
public sealed record SeriesInfo(long Id, string Name, MetricType Type, string Service, KeyValuePair<string, string>[] Labels)
{
    public Dictionary<string, string> LabelsDictionary() => Labels.ToDictionary(l => l.Key, l => l.Value);
}

/// <summary>
/// Every series in memory (key → id and id → series), loaded at start and extended by the sample
/// writer after a commit that created a series. Readers (queries, validation) use it without
/// touching the store. Capacity is <c>Monitoring:Metrics:MaxSeries</c>, enforced at ingest.
/// </summary>
public sealed class MetricSeriesCatalog
{
    private readonly ConcurrentDictionary<string, SeriesInfo> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, SeriesInfo> _byId = new();

    public MetricSeriesCatalog(IOptions<MonitoringOptions> options, AppMetrics metrics)
    {
        Capacity = options.Value.Metrics.MaxSeries;
        metrics.Gauge("monitoring_metric_series", "Distinct metric series known.", () => _byId.Count);
    }

    public int Capacity { get; }
    public int Count => _byId.Count;
    public IEnumerable<SeriesInfo> All => _byId.Values;

    public bool TryGet(string key, out SeriesInfo series) => _byKey.TryGetValue(key, out series!);
    public bool TryGet(long id, out SeriesInfo series) => _byId.TryGetValue(id, out series!);

    internal void Add(string key, SeriesInfo series)
    {
        _byKey[key] = series;
        _byId[series.Id] = series;
    }

    /// <summary>Series with this name (any when null), service (any when null) and matching labels, by id.</summary>
    public List<SeriesInfo> Find(string? name, string? service, IReadOnlyList<LabelMatcher> matchers)
    {
        var found = new List<SeriesInfo>();
        foreach (var s in _byId.Values)
        {
            if (name is not null && s.Name != name) continue;
            if (service is not null && s.Service != service) continue;
            if (!LabelMatcher.MatchAll(matchers, s.Labels, s.Service)) continue;
            found.Add(s);
        }
        found.Sort((a, b) => a.Id.CompareTo(b.Id));
        return found;
    }

    public static string LabelsJson(KeyValuePair<string, string>[] sortedLabels)
    {
        if (sortedLabels.Length == 0) return "{}";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (k, v) in sortedLabels) writer.WriteString(k, v);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public async Task LoadAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT Id, Name, Service, LabelsJson, Type FROM metric_series";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [];
            var sorted = SeriesKey.SortLabels(labels);
            var name = reader.GetString(1);
            var service = reader.GetString(2);
            Add(SeriesKey.Build(name, service, sorted), new SeriesInfo(reader.GetInt64(0), name, (MetricType)reader.GetInt32(4), service, sorted));
        }
    }
}
