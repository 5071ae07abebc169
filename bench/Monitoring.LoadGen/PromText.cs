using System.Globalization;

namespace Monitoring.LoadGen;

/// <summary>
/// A parsed Prometheus text exposition: series key (name plus its label text, as printed) to value.
/// Enough for reading the server's own counters, gauges and histogram buckets.
/// </summary>
public sealed class PromText
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public static PromText Parse(string text)
    {
        var p = new PromText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            // The value is the last space-separated token (no timestamps in this exposition).
            var space = line.LastIndexOf(' ');
            if (space <= 0) continue;
            var key = line[..space].Trim();
            var valueText = line[(space + 1)..];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
            };
            p._values[key] = value;
        }
        return p;
    }

    public double? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public double Sum(string name) =>
        _values.Where(kv => kv.Key == name || kv.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(kv => kv.Value);

    /// <summary>Series of one metric name with their label text, e.g. <c>{outcome="healthy"}</c>.</summary>
    public IEnumerable<(string Labels, double Value)> Series(string name) =>
        _values.Where(kv => kv.Key.StartsWith(name + "{", StringComparison.Ordinal)).Select(kv => (kv.Key[name.Length..], kv.Value));

    /// <summary>Cumulative histogram buckets (upper bound, count), ascending, +Inf last.</summary>
    public List<(double Le, double Count)> Buckets(string histogram)
    {
        var list = new List<(double, double)>();
        foreach (var (labels, value) in Series(histogram + "_bucket"))
        {
            var start = labels.IndexOf("le=\"", StringComparison.Ordinal);
            if (start < 0) continue;
            start += 4;
            var end = labels.IndexOf('"', start);
            var le = labels[start..end];
            list.Add((le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), value));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>
    /// The bucket upper bound under which <paramref name="q"/> of the observations between two scrapes
    /// fall: the server-side cross-check of the start lag computed from history (coarse: bucket bounds).
    /// </summary>
    public static double? QuantileUpperBound(List<(double Le, double Count)> before, List<(double Le, double Count)> after, double q)
    {
        if (after.Count == 0) return null;
        var deltas = after.Select(a => (a.Le, Count: a.Count - (before.FirstOrDefault(b => b.Le == a.Le).Count))).ToList();
        var total = deltas[^1].Count;
        if (total <= 0) return null;
        foreach (var (le, count) in deltas)
            if (count >= q * total) return le;
        return double.PositiveInfinity;
    }
}
