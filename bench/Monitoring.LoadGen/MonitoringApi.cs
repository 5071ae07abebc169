using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.LoadGen;

public sealed record CreatedService(long Id);

public sealed record HistoryEntry(long ServiceId, DateTimeOffset CheckedAt, DateTimeOffset? DueAt, string Status, double ResponseTimeMs, string? Message, int? StatusCode, int Attempts);

/// <summary>The few endpoints of the Monitoring API the bench needs, over one pooled client.</summary>
public sealed class MonitoringApi : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private const int MaxHistoryPage = 1000;
    private readonly HttpClient _http;

    public MonitoringApi(Uri baseUrl, int maxConnections, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (name, value) in headers) _http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
    }

    public async Task<(long Id, double LatencyMs)> CreateHttpServiceAsync(string name, Uri target, int intervalSeconds, int timeoutMs, CancellationToken ct)
    {
        var body = new { name, type = "http", target = target.ToString(), intervalSeconds, timeoutMs, tags = new[] { "loadgen" } };
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.PostAsJsonAsync("api/v1/services", body, s_json, ct);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.Created)
            throw new HttpRequestException($"POST /api/v1/services returned {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        var created = await response.Content.ReadFromJsonAsync<CreatedService>(s_json, ct) ?? throw new HttpRequestException("Empty body from POST /api/v1/services.");
        return (created.Id, latency);
    }

    public async Task DeleteServiceAsync(long id, CancellationToken ct)
    {
        using var response = await _http.DeleteAsync($"api/v1/services/{id}", ct);
        if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
            throw new HttpRequestException($"DELETE /api/v1/services/{id} returned {(int)response.StatusCode}.");
    }

    /// <summary>One probe of the light endpoint; returns the latency and whether it answered 200.</summary>
    public async Task<(double LatencyMs, bool Ok)> ProbeHealthAsync(long id, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.GetAsync($"api/v1/services/{id}/health", HttpCompletionOption.ResponseContentRead, ct);
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.StatusCode == HttpStatusCode.OK);
        }
        catch (HttpRequestException)
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, false);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, false); // client timeout
        }
    }

    public async Task<string> MetricsTextAsync(CancellationToken ct) => await _http.GetStringAsync("metrics", ct);

    /// <summary>
    /// All results of a service checked at or after <paramref name="from"/>, newest first, paging with
    /// an inclusive <c>to</c>. Rows on the page boundary are skipped by count on the next page (the
    /// server orders by time then id, so that is exact), so a genuinely doubled slot is never merged away.
    /// </summary>
    public async Task<List<HistoryEntry>> HistoryAsync(long id, DateTimeOffset from, CancellationToken ct)
    {
        var all = new List<HistoryEntry>();
        DateTimeOffset? to = null;
        var skipAtBoundary = 0;
        for (var page = 0; page < 10_000; page++)
        {
            var url = $"api/v1/services/{id}/history?limit={MaxHistoryPage}&from={Uri.EscapeDataString(from.ToString("O"))}";
            if (to is { } t) url += $"&to={Uri.EscapeDataString(t.ToString("O"))}";
            var rows = await _http.GetFromJsonAsync<List<HistoryEntry>>(url, s_json, ct) ?? [];
            var skipped = 0;
            foreach (var row in rows)
            {
                if (to is { } boundary && row.CheckedAt == boundary && skipped < skipAtBoundary) { skipped++; continue; }
                all.Add(row);
            }
            if (rows.Count < MaxHistoryPage) return all;
            var oldest = rows[^1].CheckedAt;
            var sameAsOldest = rows.Count(r => r.CheckedAt == oldest);
            if (sameAsOldest == rows.Count) throw new InvalidOperationException($"Service {id}: over {MaxHistoryPage} results in one millisecond; cannot page.");
            skipAtBoundary = to == oldest ? skipAtBoundary + sameAsOldest : sameAsOldest;
            to = oldest;
        }
        throw new InvalidOperationException($"Service {id}: history paging did not end.");
    }

    public void Dispose() => _http.Dispose();
}
