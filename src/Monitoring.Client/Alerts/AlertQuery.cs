using System.Globalization;
using System.Text;

namespace Monitoring.Client.Alerts;

/// <summary>The alert list's filters, as the query string of <c>GET /api/v1/alerts</c>. Empty filters are left out.</summary>
public sealed record AlertQuery(bool ActiveOnly = true, string? Severity = null, long? ServiceId = null, string? State = null, int Limit = AlertQuery.DefaultLimit, int Offset = 0)
{
    public const int DefaultLimit = 200;

    public string ToQueryString()
    {
        var query = new StringBuilder("?activeOnly=").Append(ActiveOnly ? "true" : "false");
        if (!string.IsNullOrEmpty(Severity)) query.Append("&severity=").Append(Uri.EscapeDataString(Severity));
        if (ServiceId is { } service) query.Append("&serviceId=").Append(service.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(State)) query.Append("&state=").Append(Uri.EscapeDataString(State));
        query.Append("&limit=").Append(Limit.ToString(CultureInfo.InvariantCulture));
        if (Offset > 0) query.Append("&offset=").Append(Offset.ToString(CultureInfo.InvariantCulture));
        return query.ToString();
    }
}
