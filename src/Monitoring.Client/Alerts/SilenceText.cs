using Monitoring.Client.Shared;
using Monitoring.Core.Alerts;

namespace Monitoring.Client.Alerts;

/// <summary>Silences as one line each: what they match and when they apply.</summary>
public static class SilenceText
{
    public static readonly IReadOnlyList<string> Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public static readonly IReadOnlyList<string> MatcherOperators = ["=", "!=", "=~", "!~"];

    public static string DayName(string day) => day switch
    {
        "mon" => "Mon",
        "tue" => "Tue",
        "wed" => "Wed",
        "thu" => "Thu",
        "fri" => "Fri",
        "sat" => "Sat",
        "sun" => "Sun",
        _ => day,
    };

    public static string Matchers(IReadOnlyList<SilenceMatcher> matchers) =>
        matchers.Count == 0 ? "every alert" : string.Join(", ", matchers.Select(m => $"{m.Name}{m.Op ?? "="}\"{m.Value}\""));

    /// <summary>"Every Sat, Sun at 02:00 for 2 h (Europe/Berlin)", "cron 0 2 * * 0 for 30 min (UTC)", or the one-off range.</summary>
    public static string When(SilenceDto silence)
    {
        if (silence.Schedule is { } schedule)
        {
            var text = Schedule(schedule);
            return silence.EndsAt is { } until ? $"{text}, until {DisplayFormat.Absolute(until)}" : text;
        }
        return $"{DisplayFormat.Absolute(silence.StartsAt)} – {(silence.EndsAt is { } ends ? DisplayFormat.Absolute(ends) : "open-ended")}";
    }

    public static string Schedule(SilenceSchedule schedule)
    {
        var duration = schedule.DurationMinutes is { } minutes ? DisplayFormat.Duration(minutes * 60.0) : "?";
        var zone = string.IsNullOrWhiteSpace(schedule.TimeZone) ? "UTC" : schedule.TimeZone;
        if (!string.IsNullOrWhiteSpace(schedule.Cron)) return $"cron {schedule.Cron} for {duration} ({zone})";
        var days = schedule.Days is { Count: > 0 } d
            ? d.Count == 7 ? "Every day" : "Every " + string.Join(", ", Days.Where(d.Contains).Select(DayName))
            : "Every day";
        return $"{days} at {schedule.Start ?? "?"} for {duration} ({zone})";
    }
}
