namespace Monitoring.Core.Alerts;

/// <summary>
/// A classic 5-field cron expression (minute hour day-of-month month day-of-week) matched against a
/// wall-clock time. Fields take <c>*</c>, numbers, ranges <c>a-b</c>, steps <c>*/n</c> and <c>a-b/n</c>,
/// lists, and names (<c>jan</c>, <c>mon</c>); day-of-week 0 and 7 are Sunday. When both day fields are
/// restricted a day matches either, as in Vixie cron.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] s_days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly bool[] _minutes = new bool[60];
    private readonly bool[] _hours = new bool[24];
    private readonly bool[] _daysOfMonth = new bool[32];
    private readonly bool[] _months = new bool[13];
    private readonly bool[] _daysOfWeek = new bool[7];
    private bool _domRestricted;
    private bool _dowRestricted;

    private CronSchedule(string text) => Text = text;

    public string Text { get; }

    public static CronSchedule? TryParse(string? text, out string? error)
    {
        error = null;
        var fields = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 5)
        {
            error = "A cron expression has 5 fields: minute hour day-of-month month day-of-week.";
            return null;
        }
        var cron = new CronSchedule(string.Join(' ', fields));
        var dow = new bool[8];
        if (!Field(fields[0], 0, 59, null, cron._minutes, "minute", out error)
            || !Field(fields[1], 0, 23, null, cron._hours, "hour", out error)
            || !Field(fields[2], 1, 31, null, cron._daysOfMonth, "day-of-month", out error)
            || !Field(fields[3], 1, 12, s_months, cron._months, "month", out error)
            || !Field(fields[4], 0, 7, s_days, dow, "day-of-week", out error))
            return null;
        for (var i = 0; i < 7; i++) cron._daysOfWeek[i] = dow[i];
        if (dow[7]) cron._daysOfWeek[0] = true;
        cron._domRestricted = fields[2] != "*";
        cron._dowRestricted = fields[4] != "*";
        return cron;
    }

    /// <summary>Whether the minute of this wall-clock time is one the expression names.</summary>
    public bool Matches(DateTime local)
    {
        if (!_minutes[local.Minute] || !_hours[local.Hour] || !_months[local.Month]) return false;
        var dom = _daysOfMonth[local.Day];
        var dow = _daysOfWeek[(int)local.DayOfWeek];
        if (_domRestricted && _dowRestricted) return dom || dow;
        return dom && dow;
    }

    private static bool Field(string field, int min, int max, string[]? names, bool[] set, string what, out string? error)
    {
        error = null;
        foreach (var part in field.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/');
            if (slash >= 0)
            {
                if (!int.TryParse(part[(slash + 1)..], out step) || step < 1)
                {
                    error = $"The {what} field has a bad step in '{part}'.";
                    return false;
                }
                range = part[..slash];
            }
            int lo, hi;
            if (range == "*")
            {
                (lo, hi) = (min, max);
            }
            else
            {
                var dash = range.IndexOf('-', 1);
                if (!Value(dash < 0 ? range : range[..dash], names, min, out lo) || !Value(dash < 0 ? range : range[(dash + 1)..], names, min, out hi))
                {
                    error = $"The {what} field has '{part}', which is not a number{(names is null ? "" : " or name")} in {min}-{max}.";
                    return false;
                }
                if (dash < 0 && slash >= 0) hi = max; // "5/15" means from 5 to the end, every 15
            }
            if (lo < min || hi > max || lo > hi)
            {
                error = $"The {what} field has '{part}', outside {min}-{max}.";
                return false;
            }
            for (var v = lo; v <= hi; v += step) set[v] = true;
        }
        return true;
    }

    private static bool Value(string text, string[]? names, int min, out int value)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)) return true;
        if (names is null) return false;
        var i = Array.IndexOf(names, text.ToLowerInvariant());
        value = i + (min == 1 ? 1 : 0);
        return i >= 0;
    }
}
