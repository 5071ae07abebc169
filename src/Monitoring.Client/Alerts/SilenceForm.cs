using System.Globalization;
using Monitoring.Core.Alerts;

namespace Monitoring.Client.Alerts;

/// <summary>How a silence applies: once between two times, every week on some days, or on a cron schedule.</summary>
public enum SilenceMode { OneOff, Weekly, Cron }

/// <summary>The silence dialog's state, turned into a <see cref="SilenceInput"/>.</summary>
public sealed class SilenceForm
{
    public const string LocalFormat = "yyyy-MM-ddTHH:mm";

    public string? Comment { get; set; }
    public List<MatcherRow> Matchers { get; } = [new MatcherRow()];
    public SilenceMode Mode { get; set; } = SilenceMode.OneOff;

    /// <summary>One-off window in the browser's local time, as a datetime-local input holds it.</summary>
    public string? StartsAt { get; set; }
    public string? EndsAt { get; set; }

    public HashSet<string> Days { get; } = new(StringComparer.Ordinal);
    public string? Start { get; set; } = "02:00";
    public string? Cron { get; set; }
    public int DurationMinutes { get; set; } = 60;
    public string TimeZone { get; set; } = "UTC";

    public static SilenceForm StartingAt(DateTimeOffset now, string timeZone)
    {
        var local = now.ToLocalTime();
        return new SilenceForm
        {
            StartsAt = local.ToString(LocalFormat, CultureInfo.InvariantCulture),
            EndsAt = local.AddHours(2).ToString(LocalFormat, CultureInfo.InvariantCulture),
            TimeZone = timeZone,
        };
    }

    /// <summary>The body, or the field and message to show when a local time can't be read.</summary>
    public (SilenceInput? Input, string? Field, string? Error) ToInput()
    {
        var matchers = Matchers.Where(m => !string.IsNullOrWhiteSpace(m.Name))
            .Select(m => new SilenceMatcher(m.Name.Trim(), m.Op, m.Value ?? ""))
            .ToList();
        var comment = string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim();
        switch (Mode)
        {
            case SilenceMode.Weekly:
                return (new SilenceInput(comment, matchers, null, null,
                    new SilenceSchedule(null, [.. SilenceText.Days.Where(Days.Contains)], Start, DurationMinutes, TimeZone)), null, null);
            case SilenceMode.Cron:
                return (new SilenceInput(comment, matchers, null, null,
                    new SilenceSchedule(Cron?.Trim(), null, null, DurationMinutes, TimeZone)), null, null);
            default:
                if (!TryLocal(StartsAt, out var starts)) return (null, "startsAt", "Enter a start date and time.");
                if (!TryLocal(EndsAt, out var ends)) return (null, "endsAt", "Enter an end date and time.");
                return (new SilenceInput(comment, matchers, starts, ends, null), null, null);
        }
    }

    private static bool TryLocal(string? text, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParseExact(text, [LocalFormat, LocalFormat + ":ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return false;
        value = new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
        return true;
    }
}

public sealed class MatcherRow
{
    public string Name { get; set; } = "";
    public string Op { get; set; } = "=";
    public string? Value { get; set; }
}
