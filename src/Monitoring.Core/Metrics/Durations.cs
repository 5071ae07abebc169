using System.Globalization;

namespace Monitoring.Core.Metrics;

/// <summary>Durations in queries: <c>500ms</c>, <c>60s</c>, <c>5m</c>, <c>2h</c>, <c>7d</c>, or plain seconds.</summary>
public static class Durations
{
    public static bool TryParseMs(string? text, out long ms)
    {
        ms = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var (number, factor) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1L),
            _ when text.EndsWith('s') => (text[..^1], 1_000L),
            _ when text.EndsWith('m') => (text[..^1], 60_000L),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000L),
            _ when text.EndsWith('d') => (text[..^1], 86_400_000L),
            _ => (text, 1_000L),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0) return false;
        var total = value * factor;
        if (total > 100L * 365 * 86_400_000) return false;
        ms = (long)Math.Round(total);
        return ms > 0;
    }
}
