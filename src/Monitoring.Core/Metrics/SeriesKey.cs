using System.Text;

namespace Monitoring.Core.Metrics;

/// <summary>
/// The identity of a series: name, service and labels sorted by key. The key string joins them
/// with NUL separators (label values may not contain NUL), so equal series give equal keys.
/// </summary>
public static class SeriesKey
{
    public static KeyValuePair<string, string>[] SortLabels(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0) return [];
        var sorted = labels.ToArray();
        if (sorted.Length > 1) Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return sorted;
    }

    public static string Build(string name, string service, KeyValuePair<string, string>[] sortedLabels)
    {
        var length = name.Length + service.Length + 2;
        foreach (var (k, v) in sortedLabels) length += k.Length + v.Length + 2;
        var sb = new StringBuilder(length);
        sb.Append(name).Append('\0').Append(service);
        foreach (var (k, v) in sortedLabels) sb.Append('\0').Append(k).Append('\0').Append(v);
        return sb.ToString();
    }
}
