namespace Monitoring.Core.Services;

public enum ServiceType { Http, Tcp, Dns, Tls, Heartbeat, Database, Redis, Host }

public enum Criticality { Low, Medium, High, Critical }

/// <summary>Health of a service as the API and UI show it.</summary>
public enum ServiceStatus { Unknown, Healthy, Degraded, Unhealthy, Paused }

public static class EnumNames
{
    // The API speaks lower-case names; parsing is case-insensitive and rejects numbers.
    public static string ToApi<T>(this T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static bool TryParseApi<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || char.IsDigit(text[0]) || text[0] == '-') return false;
        return Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static string Allowed<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => v.ToApi()));
}
