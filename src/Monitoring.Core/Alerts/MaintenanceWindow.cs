namespace Monitoring.Core.Alerts;

/// <summary>
/// A recurring window: it opens at each wall-clock minute a cron expression names in a time zone and
/// stays open for a duration of real (elapsed) time. A weekly schedule (days + "HH:mm") is the cron
/// <c>mm HH * * days</c>. Time zones are IANA ids resolved by <see cref="TimeZoneInfo"/>, and each
/// instant is converted on its own, so daylight-saving changes are honoured: a start time that a
/// spring-forward skips does not open a window that day, one that a fall-back repeats opens at its
/// first occurrence and again at its second.
/// </summary>
public sealed class MaintenanceWindow
{
    public const int MaxDurationMinutes = 7 * 24 * 60;
    private static readonly string[] s_dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private MaintenanceWindow(CronSchedule cron, TimeSpan duration, TimeZoneInfo zone)
    {
        Cron = cron;
        Duration = duration;
        Zone = zone;
    }

    public CronSchedule Cron { get; }
    public TimeSpan Duration { get; }
    public TimeZoneInfo Zone { get; }

    /// <summary>Builds the window of a schedule; on failure null and errors keyed by the schedule's field names.</summary>
    public static MaintenanceWindow? TryCreate(SilenceSchedule schedule, Dictionary<string, string[]> errors, string prefix = "schedule")
    {
        var before = errors.Count;
        CronSchedule? cron = null;
        var hasCron = !string.IsNullOrWhiteSpace(schedule.Cron);
        var hasDays = schedule.Days is { Count: > 0 };
        if (hasCron && (hasDays || schedule.Start is not null))
            errors[$"{prefix}.cron"] = ["Give either cron, or days and start, not both."];
        else if (hasCron)
        {
            cron = CronSchedule.TryParse(schedule.Cron, out var cronError);
            if (cron is null) errors[$"{prefix}.cron"] = [cronError!];
        }
        else if (hasDays)
        {
            var days = new List<int>();
            foreach (var d in schedule.Days!)
            {
                var key = (d ?? "").Trim().ToLowerInvariant();
                var i = Array.FindIndex(s_dayNames, n => key.StartsWith(n, StringComparison.Ordinal) && key.Length >= 3);
                if (i < 0) errors[$"{prefix}.days"] = [$"Unknown day '{d}'; use mon, tue, wed, thu, fri, sat, sun."];
                else days.Add(i);
            }
            if (!TimeOnly.TryParseExact(schedule.Start ?? "", "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var start))
                errors[$"{prefix}.start"] = ["Start must be a time of day \"HH:mm\" (24-hour)."];
            else if (errors.Count == before)
                cron = CronSchedule.TryParse($"{start.Minute} {start.Hour} * * {string.Join(',', days.Distinct().Order())}", out _);
        }
        else
        {
            errors[$"{prefix}.cron"] = ["A schedule needs a cron expression, or days and a start time."];
        }

        if (schedule.DurationMinutes is not { } minutes || minutes < 1 || minutes > MaxDurationMinutes)
            errors[$"{prefix}.durationMinutes"] = [$"DurationMinutes must be between 1 and {MaxDurationMinutes}."];

        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(schedule.TimeZone) && !TryFindZone(schedule.TimeZone, out zone))
            errors[$"{prefix}.timeZone"] = [$"Unknown time zone '{schedule.TimeZone}'; use an IANA id such as Europe/Berlin."];

        if (errors.Count > before || cron is null) return null;
        return new MaintenanceWindow(cron, TimeSpan.FromMinutes(schedule.DurationMinutes!.Value), zone);
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    /// <summary>Whether <paramref name="at"/> is inside a window: some start instant s with s &lt;= at &lt; s + duration.</summary>
    public bool Contains(DateTimeOffset at) => LastStartAtOrBefore(at) is { } start && at < start + Duration;

    /// <summary>The latest window start at or before <paramref name="at"/> within one duration back, or null.</summary>
    public DateTimeOffset? LastStartAtOrBefore(DateTimeOffset at)
    {
        // Walk back minute by minute in real time (at most the duration, ≤ 7 days = 10,080 steps),
        // converting each instant to the zone's wall clock, so DST gaps and overlaps fall out right.
        var minute = new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var steps = (int)Duration.TotalMinutes;
        for (var i = 0; i <= steps; i++)
        {
            var instant = minute.AddMinutes(-i);
            if (at - instant >= Duration) break;
            if (Cron.Matches(TimeZoneInfo.ConvertTime(instant, Zone).DateTime)) return instant;
        }
        return null;
    }
}
