using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitoring.Web.Data;
using Monitoring.Web.Notifications;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Alerts;

/// <summary>Stands in for the notification outbox: records every notice the engine would send.</summary>
public sealed class RecordingOutbox : INotificationOutbox
{
    public ConcurrentQueue<AlertNotice> Notices { get; } = new();
    public int Dispatches;

    public Task<int> AddAsync(MonitoringDbContext db, AlertNotice notice, CancellationToken cancellationToken)
    {
        Notices.Enqueue(notice);
        return Task.FromResult(1);
    }

    public void Dispatch() => Interlocked.Increment(ref Dispatches);

    public List<string> Keys => Notices.Select(n => n.EventKey).ToList();

    public static void Register(IServiceCollection services, RecordingOutbox outbox)
    {
        services.RemoveAll<INotificationOutbox>();
        services.AddSingleton<INotificationOutbox>(outbox);
    }
}

internal static class AlertTestSupport
{
    public static async Task<JsonElement> CreateRuleAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/alert-rules", body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Create rule failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<List<JsonElement>> AlertsAsync(this HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?{query}")).EnumerateArray().ToList();

    /// <summary>Waits for an alert that satisfies <paramref name="match"/> and returns it.</summary>
    public static async Task<JsonElement> WaitForAlertAsync(this HttpClient client, Func<JsonElement, bool> match, string what, int seconds = 20, string query = "") =>
        (await Eventually.WaitAsync(() => client.AlertsAsync(query), l => l.Any(match), TimeSpan.FromSeconds(seconds), what)).First(match);

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;
    public static long Id(this JsonElement e) => e.GetProperty("id").GetInt64();
    public static string Label(this JsonElement e, string name) => e.GetProperty("labels").TryGetProperty(name, out var v) ? v.GetString()! : "";

    public static async Task PostSampleAsync(this HttpClient client, string name, double value, Dictionary<string, string> labels)
    {
        var response = await client.PostAsJsonAsync("/api/v1/metrics", new { name, type = "gauge", value, labels });
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted) throw new InvalidOperationException($"Ingest failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task PostSamplesAsync(this HttpClient client, params object[] samples)
    {
        var response = await client.PostAsJsonAsync("/api/v1/metrics", samples);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted) throw new InvalidOperationException($"Ingest failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
