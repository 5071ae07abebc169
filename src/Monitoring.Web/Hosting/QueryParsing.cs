using System.Globalization;

namespace Monitoring.Web.Hosting;

public static class QueryParsing
{
    /// <summary>Parses an ISO 8601 query value to Unix ms; records an error naming the field when it does not parse.</summary>
    public static long? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t.ToUnixTimeMilliseconds();
        errors[field] = [$"'{value}' is not an ISO 8601 timestamp."];
        return null;
    }
}
