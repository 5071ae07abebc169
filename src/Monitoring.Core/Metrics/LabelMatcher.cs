namespace Monitoring.Core.Metrics;

/// <summary>
/// One matcher of a <c>labels=</c> query: <c>key=value</c> (equal) or <c>key!=value</c> (not
/// equal; a missing label counts as the empty string, as in Prometheus). The key <c>service</c>
/// also matches the sample's service when the series has no label of that name.
/// </summary>
public sealed record LabelMatcher(string Key, string Value, bool Negate)
{
    public const int MaxMatchers = 16;

    public bool Matches(IReadOnlyList<KeyValuePair<string, string>> labels, string service)
    {
        var actual = "";
        var found = false;
        foreach (var (k, v) in labels)
        {
            if (k != Key) continue;
            actual = v;
            found = true;
            break;
        }
        if (!found && Key == "service") actual = service;
        return Negate ? actual != Value : actual == Value;
    }

    public static bool MatchAll(IReadOnlyList<LabelMatcher> matchers, IReadOnlyList<KeyValuePair<string, string>> labels, string service)
    {
        foreach (var m in matchers)
            if (!m.Matches(labels, service)) return false;
        return true;
    }

    /// <summary>Parses <c>env=prod,region!=eu</c>; returns null and an error message when it does not parse.</summary>
    public static List<LabelMatcher>? TryParse(string? text, out string? error)
    {
        error = null;
        var result = new List<LabelMatcher>();
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                error = $"'{part}' is not key=value or key!=value.";
                return null;
            }
            var negate = part[eq - 1] == '!';
            var key = part[..(negate ? eq - 1 : eq)].Trim();
            if (!MetricNaming.IsValidLabelName(key) && key != "service")
            {
                error = $"'{key}' is not a valid label name.";
                return null;
            }
            result.Add(new LabelMatcher(key, part[(eq + 1)..].Trim(), negate));
        }
        if (result.Count > MaxMatchers)
        {
            error = $"At most {MaxMatchers} matchers.";
            return null;
        }
        return result;
    }
}
