using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Monitoring.Client.Api;

/// <summary>
/// Typed calls to the REST API the pages need. The browser's <see cref="HttpClient"/> sends the
/// session (or display-link) cookie, so no credentials pass through here. Unknown ids come back as
/// <c>null</c> rather than an exception: "not found" is something a page shows, not a crash.
/// </summary>
public sealed class MonitoringApi(HttpClient http)
{
    /// <summary>The periods the uptime endpoint knows, shortest first.</summary>
    public static readonly IReadOnlyList<string> UptimePeriods = ["24h", "7d", "30d", "90d"];

    public Task<ServiceDetail?> GetServiceAsync(long id, CancellationToken ct = default) =>
        GetOrNullAsync($"api/v1/services/{id}", ApiJsonContext.Default.ServiceDetail, ct);

    /// <summary>Check results between <paramref name="from"/> and <paramref name="to"/>, newest first (at most <paramref name="limit"/>, server max 1000).</summary>
    public async Task<IReadOnlyList<CheckResultInfo>> GetHistoryAsync(long id, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct = default) =>
        await GetOrNullAsync($"api/v1/services/{id}/history?from={Iso(from)}&to={Iso(to)}&limit={limit}", ApiJsonContext.Default.ListCheckResultInfo, ct) ?? [];

    public Task<UptimeInfo?> GetUptimeAsync(long id, string period, CancellationToken ct = default) =>
        GetOrNullAsync($"api/v1/services/{id}/uptime?period={Uri.EscapeDataString(period)}", ApiJsonContext.Default.UptimeInfo, ct);

    public async Task<IReadOnlyList<IncidentInfo>> GetServiceIncidentsAsync(long id, int limit, CancellationToken ct = default) =>
        await GetOrNullAsync($"api/v1/services/{id}/incidents?limit={limit}", ApiJsonContext.Default.ListIncidentInfo, ct) ?? [];

    public async Task<IReadOnlyList<IncidentInfo>> GetActiveIncidentsAsync(CancellationToken ct = default) =>
        await GetOrNullAsync("api/v1/incidents/active", ApiJsonContext.Default.ListIncidentInfo, ct) ?? [];

    /// <summary>The newest <paramref name="limit"/> open incidents, newest first (the overview's panel: a small answer however many are open).</summary>
    public async Task<IReadOnlyList<IncidentInfo>> GetNewestActiveIncidentsAsync(int limit, CancellationToken ct = default) =>
        await GetOrNullAsync($"api/v1/incidents?status=active&limit={limit}", ApiJsonContext.Default.ListIncidentInfo, ct) ?? [];

    /// <summary>All incidents, newest first.</summary>
    public async Task<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(int limit, CancellationToken ct = default) =>
        await GetOrNullAsync($"api/v1/incidents?limit={limit}", ApiJsonContext.Default.ListIncidentInfo, ct) ?? [];

    public Task<IncidentInfo?> GetIncidentAsync(long id, CancellationToken ct = default) =>
        GetOrNullAsync($"api/v1/incidents/{id}", ApiJsonContext.Default.IncidentInfo, ct);

    public Task<AccountInfo?> GetMeAsync(CancellationToken ct = default) =>
        GetOrNullAsync("api/v1/account/me", ApiJsonContext.Default.AccountInfo, ct);

    /// <summary>Runs a check now (Operator or Admin) and returns its result.</summary>
    public async Task<CheckResultInfo> CheckNowAsync(long id, CancellationToken ct = default)
    {
        using var response = await http.PostAsync($"api/v1/services/{id}/check", content: null, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.CheckResultInfo, ct)
               ?? throw new InvalidOperationException("The check returned no result.");
    }

    private async Task<T?> GetOrNullAsync<T>(string url, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        using var response = await http.GetAsync(url, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(type, ct);
    }

    private static string Iso(DateTimeOffset at) =>
        Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
}
