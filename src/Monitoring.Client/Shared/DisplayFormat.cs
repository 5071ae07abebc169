using System.Globalization;

namespace Monitoring.Client.Shared;

/// <summary>Numbers and times as the tables show them; invariant culture so screens and tests agree.</summary>
public static class DisplayFormat
{
    public const string Missing = "—";

    public static string Latency(double? ms) => ms switch
    {
        null => Missing,
        < 10 => ms.Value.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        _ => Math.Round(ms.Value).ToString("0", CultureInfo.InvariantCulture) + " ms",
    };

    public static string Percent(double? percent) =>
        percent is { } p ? p.ToString("0.0#", CultureInfo.InvariantCulture) + " %" : Missing;

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } time) return "never";
        var age = now - time;
        return age.TotalSeconds switch
        {
            < 5 => "just now",
            < 60 => $"{(int)age.TotalSeconds} s ago",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86_400 => $"{(int)age.TotalHours} h ago",
            _ => $"{(int)age.TotalDays} d ago",
        };
    }

    public static string Absolute(DateTimeOffset? at) =>
        at is { } time ? time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    /// <summary>"45 s", "12 min", "2 h 5 min", "3 d 4 h": two units at most, enough to read at a glance.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || s < 0) return Missing;
        var span = TimeSpan.FromSeconds(Math.Round(s));
        return span.TotalSeconds switch
        {
            < 60 => $"{(int)span.TotalSeconds} s",
            < 3600 => span.Seconds == 0 || span.TotalMinutes >= 10 ? $"{(int)span.TotalMinutes} min" : $"{(int)span.TotalMinutes} min {span.Seconds} s",
            < 86_400 => span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min",
            _ => span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }

    /// <summary>Local wall-clock time of day, for timelines and history cells.</summary>
    public static string Time(DateTimeOffset at) =>
        at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
