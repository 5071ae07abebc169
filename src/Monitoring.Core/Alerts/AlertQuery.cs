using System.Text.RegularExpressions;

namespace Monitoring.Core.Alerts;

/// <summary>How one label matcher of a rule query compares: <c>=</c>, <c>!=</c>, <c>=~</c> (regex, anchored), <c>!~</c>.</summary>
public enum MatchOp { Equal, NotEqual, Regex, NotRegex }

/// <summary>One label matcher of a query or a silence. A missing label counts as the empty string, as in Prometheus.</summary>
public sealed class QueryMatcher
{
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(50);
    private readonly Regex? _regex;

    public QueryMatcher(string name, MatchOp op, string value)
    {
        Name = name;
        Op = op;
        Value = value;
        if (op is MatchOp.Regex or MatchOp.NotRegex)
            _regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant | RegexOptions.Compiled, s_regexTimeout);
    }

    public string Name { get; }
    public MatchOp Op { get; }
    public string Value { get; }

    public static string OpText(MatchOp op) => op switch { MatchOp.Equal => "=", MatchOp.NotEqual => "!=", MatchOp.Regex => "=~", _ => "!~" };

    public static bool TryParseOp(string? text, out MatchOp op)
    {
        op = text switch { "=" or "==" => MatchOp.Equal, "!=" => MatchOp.NotEqual, "=~" => MatchOp.Regex, "!~" => MatchOp.NotRegex, _ => (MatchOp)(-1) };
        return (int)op >= 0;
    }

    /// <summary>Null when the pattern is not a valid regular expression; otherwise the matcher.</summary>
    public static QueryMatcher? TryCreate(string name, MatchOp op, string value, out string? error)
    {
        error = null;
        try
        {
            return new QueryMatcher(name, op, value);
        }
        catch (ArgumentException ex)
        {
            error = $"'{value}' is not a valid regular expression: {ex.Message}";
            return null;
        }
    }

    public bool Matches(string? actual)
    {
        actual ??= "";
        try
        {
            return Op switch
            {
                MatchOp.Equal => actual == Value,
                MatchOp.NotEqual => actual != Value,
                MatchOp.Regex => _regex!.IsMatch(actual),
                _ => !_regex!.IsMatch(actual),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // a pathological pattern matches nothing rather than stalling the engine
        }
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        Matches(labels.TryGetValue(Name, out var v) ? v : null);

    public static bool MatchAll(IReadOnlyList<QueryMatcher> matchers, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var m in matchers)
            if (!m.Matches(labels)) return false;
        return true;
    }

    public override string ToString() => $"{Name}{OpText(Op)}\"{Value}\"";
}

/// <summary>
/// A rule query: a metric name with optional label matchers, <c>cpu_usage{host="a",env!="dev",dc=~"eu-.*"}</c>,
/// optionally followed by a comparison (<c>&gt; 80</c>) which then stands for the rule's operator and threshold.
/// The label <c>service</c> matches the series' service when the series has no label of that name.
/// </summary>
public sealed record AlertQuery(string Metric, IReadOnlyList<QueryMatcher> Matchers, ComparisonOperator? Operator, double? Threshold)
{
    public const int MaxLength = 1000;
    public const int MaxMatchers = 16;

    /// <summary>Parses a query; on failure returns null with the 0-based position of the problem and a message.</summary>
    public static AlertQuery? TryParse(string? text, out int errorPosition, out string? error)
    {
        var p = new Parser(text ?? "");
        var result = p.Parse();
        errorPosition = p.ErrorPosition;
        error = p.Error;
        return result;
    }

    /// <summary>Whether a series (name, service, labels) is selected by this query.</summary>
    public bool Selects(string name, string service, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (name != Metric) return false;
        foreach (var m in Matchers)
        {
            string? actual = null;
            foreach (var (k, v) in labels)
            {
                if (k != m.Name) continue;
                actual = v;
                break;
            }
            if (actual is null && m.Name == "service") actual = service;
            if (!m.Matches(actual)) return false;
        }
        return true;
    }

    private sealed class Parser(string text)
    {
        private int _pos;
        public int ErrorPosition { get; private set; } = -1;
        public string? Error { get; private set; }

        public AlertQuery? Parse()
        {
            if (text.Length > MaxLength) return Fail(MaxLength, $"The query is longer than {MaxLength} characters.");
            SkipSpace();
            var nameStart = _pos;
            if (!ReadIdentifier(allowColon: true, out var metric))
                return Fail(nameStart, _pos >= text.Length ? "A metric name is required." : $"Expected a metric name at position {nameStart}.");
            var matchers = new List<QueryMatcher>();
            SkipSpace();
            if (Peek('{'))
            {
                _pos++;
                SkipSpace();
                while (!Peek('}'))
                {
                    if (_pos >= text.Length) return Fail(_pos, $"Expected '}}' at position {_pos}.");
                    var labelStart = _pos;
                    if (!ReadIdentifier(allowColon: false, out var label)) return Fail(labelStart, $"Expected a label name at position {labelStart}.");
                    SkipSpace();
                    var opStart = _pos;
                    MatchOp op;
                    if (Take("=~")) op = MatchOp.Regex;
                    else if (Take("!~")) op = MatchOp.NotRegex;
                    else if (Take("!=")) op = MatchOp.NotEqual;
                    else if (Take("=")) op = MatchOp.Equal;
                    else return Fail(opStart, $"Expected one of = != =~ !~ at position {opStart}.");
                    SkipSpace();
                    var valueStart = _pos;
                    if (!ReadString(out var value)) return ErrorPosition >= 0 ? null : Fail(valueStart, $"Expected a quoted value at position {valueStart}.");
                    var matcher = QueryMatcher.TryCreate(label, op, value, out var regexError);
                    if (matcher is null) return Fail(valueStart, $"At position {valueStart}: {regexError}");
                    matchers.Add(matcher);
                    if (matchers.Count > MaxMatchers) return Fail(labelStart, $"At most {MaxMatchers} label matchers.");
                    SkipSpace();
                    if (Take(",")) { SkipSpace(); continue; }
                    if (!Peek('}')) return Fail(_pos, $"Expected ',' or '}}' at position {_pos}.");
                }
                _pos++;
            }
            SkipSpace();
            ComparisonOperator? comparison = null;
            double? threshold = null;
            if (_pos < text.Length)
            {
                var opStart = _pos;
                var opEnd = _pos;
                while (opEnd < text.Length && "<>=!".Contains(text[opEnd])) opEnd++;
                if (opEnd == opStart || !Comparison.TryParse(text[opStart..opEnd], out var parsedOp))
                    return Fail(opStart, $"Unexpected '{text[opStart]}' at position {opStart}; expected '{{' or a comparison ({Comparison.AllowedText}).");
                comparison = parsedOp;
                _pos = opEnd;
                SkipSpace();
                var numberStart = _pos;
                while (_pos < text.Length && !char.IsWhiteSpace(text[_pos])) _pos++;
                if (!double.TryParse(text[numberStart.._pos], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t))
                    return Fail(numberStart, $"Expected a number at position {numberStart}.");
                threshold = t;
                SkipSpace();
                if (_pos < text.Length) return Fail(_pos, $"Unexpected text at position {_pos}.");
            }
            return new AlertQuery(metric, matchers, comparison, threshold);
        }

        private AlertQuery? Fail(int position, string message)
        {
            ErrorPosition = position;
            Error = message;
            return null;
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private bool Take(string s)
        {
            if (string.CompareOrdinal(text, _pos, s, 0, s.Length) != 0) return false;
            _pos += s.Length;
            return true;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private bool ReadIdentifier(bool allowColon, out string name)
        {
            var start = _pos;
            while (_pos < text.Length)
            {
                var c = text[_pos];
                var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (_pos > start && c is >= '0' and <= '9');
                if (!ok) break;
                _pos++;
            }
            name = text[start.._pos];
            return name.Length > 0;
        }

        private bool ReadString(out string value)
        {
            value = "";
            if (_pos >= text.Length || text[_pos] is not ('"' or '\'')) return false;
            var quote = text[_pos];
            var start = _pos;
            _pos++;
            var sb = new System.Text.StringBuilder();
            while (_pos < text.Length && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                {
                    var next = text[_pos + 1];
                    // Keep regex escapes (\d, \.) as written; unescape only quotes and backslashes.
                    if (next == quote || next == '\\') { sb.Append(next); _pos += 2; continue; }
                }
                sb.Append(text[_pos++]);
            }
            if (_pos >= text.Length)
            {
                Fail(start, $"Unterminated string starting at position {start}.");
                return false;
            }
            _pos++;
            value = sb.ToString();
            return true;
        }
    }
}

/// <summary>The comparison of a rule: value OP threshold.</summary>
public enum ComparisonOperator { GreaterThan, GreaterOrEqual, LessThan, LessOrEqual, Equal, NotEqual }

public static class Comparison
{
    public static readonly string[] Allowed = [">", ">=", "<", "<=", "==", "!="];
    public static string AllowedText => string.Join(" ", Allowed);

    public static bool TryParse(string? text, out ComparisonOperator op)
    {
        var i = Array.IndexOf(Allowed, text?.Trim());
        op = i < 0 ? default : (ComparisonOperator)i;
        return i >= 0;
    }

    public static string ToText(this ComparisonOperator op) => Allowed[(int)op];

    public static bool Holds(this ComparisonOperator op, double value, double threshold) => op switch
    {
        ComparisonOperator.GreaterThan => value > threshold,
        ComparisonOperator.GreaterOrEqual => value >= threshold,
        ComparisonOperator.LessThan => value < threshold,
        ComparisonOperator.LessOrEqual => value <= threshold,
        ComparisonOperator.Equal => value == threshold,
        _ => value != threshold,
    };
}
