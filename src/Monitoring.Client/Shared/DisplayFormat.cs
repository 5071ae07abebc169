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
}
