using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

internal static class MetricsTestSupport
{
    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task PostSamplesAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/metrics", body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"Ingest failed: {(int)response.StatusCode} {text}");
    }

    public static async Task<List<JsonElement>> RawAsync(this HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/metrics?{query}")).EnumerateArray().ToList();

    public static async Task<long> ScalarAsync(this MonitoringHost host, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "monitoring.db")};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O");
}
