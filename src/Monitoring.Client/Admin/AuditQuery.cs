using System.Globalization;
using System.Text;

namespace Monitoring.Client.Admin;

/// <summary>The audit log's filters and page, as the query string of <c>GET /api/v1/audit</c>.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 50, int Offset = 0)
{
    /// <summary>Empty filters are left out; times go as ISO 8601 UTC, which the server accepts.</summary>
    public string ToQueryString()
    {
        var query = new StringBuilder();
        Add(query, "actor", Actor?.Trim());
        Add(query, "action", Action?.Trim());
        Add(query, "from", From?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add(query, "to", To?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add(query, "limit", Limit.ToString(CultureInfo.InvariantCulture));
        Add(query, "offset", Offset.ToString(CultureInfo.InvariantCulture));
        return query.ToString();
    }

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }
}
