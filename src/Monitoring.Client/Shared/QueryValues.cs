namespace Monitoring.Client.Shared;

/// <summary>Reads one query-string value from a URL (layouts can't use <c>[SupplyParameterFromQuery]</c>).</summary>
public static class QueryValues
{
    public static string? Get(string url, string name)
    {
        var query = new Uri(url, UriKind.Absolute).Query.TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(separator < 0 ? pair : pair[..separator]);
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return separator < 0 ? "" : Uri.UnescapeDataString(pair[(separator + 1)..].Replace('+', ' '));
        }
        return null;
    }

    public static bool IsTrue(string? value) => value is "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}
