using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.Web.Tests.Infrastructure;

/// <summary>Small typed reads over the REST API for tests.</summary>
public static class ApiClient
{
    public static async Task<long> CreateServiceAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/services", body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Create failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public static async Task<string> StatusAsync(this HttpClient client, long id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{id}/health")).GetProperty("status").GetString()!;

    public static async Task<List<JsonElement>> IncidentsAsync(this HttpClient client, long id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{id}/incidents")).EnumerateArray().ToList();

    public static async Task<List<JsonElement>> HistoryAsync(this HttpClient client, long id, int limit = 1000) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{id}/history?limit={limit}")).EnumerateArray().ToList();

    public static Task<string> WaitForStatusAsync(this HttpClient client, long id, string status, int seconds = 15) =>
        Eventually.WaitAsync(() => client.StatusAsync(id), s => s == status, TimeSpan.FromSeconds(seconds), $"service {id} to be {status}");

    public static long Ms(this JsonElement e, string property) =>
        e.GetProperty(property).GetDateTimeOffset().ToUnixTimeMilliseconds();
}
