using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;
using Monitoring.Web.Tests.Metrics;

namespace Monitoring.Web.Tests.Events;

public sealed class EventsApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new MonitoringHost(_dir.Path, new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" });
        _client = _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task EventsAreStoredWithTagsAndPayloadAndFilteredNewestFirst()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ingest = _host.CreateClientWithKey(await _host.CreateApiKeyAsync("ingest"));
        var created = await ingest.PostAsJsonAsync("/api/v1/events", new { eventType = "alert", source = "db", level = "error", message = "disk full", tags = new { env = "prod" }, payload = new { used = 99.5, mount = "/" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var one = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(99.5, one.GetProperty("payload").GetProperty("used").GetDouble());
        Assert.Equal($"/api/v1/events/{one.GetProperty("id").GetInt64()}", created.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/api/v1/events")).StatusCode);

        var batch = await _client.PostAsJsonAsync("/api/v1/events", Enumerable.Range(0, 5).Select(i => new { eventType = "log", source = i % 2 == 0 ? "web" : "worker", message = $"m{i}", timestamp = MetricsTestSupport.Iso(now - (5 - i) * 1000) }).ToArray());
        Assert.Equal(HttpStatusCode.Created, batch.StatusCode);

        var logs = await _client.GetAsync("/api/v1/events?eventType=log&source=web&limit=2");
        Assert.Equal("3", logs.Headers.GetValues("X-Total-Count").Single());
        var list = (await logs.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Equal(["m4", "m2"], list);
        var page2 = (await _client.GetFromJsonAsync<JsonElement>("/api/v1/events?eventType=log&source=web&limit=2&offset=2")).EnumerateArray().Select(e => e.GetProperty("message").GetString());
        Assert.Equal(["m0"], page2);
        Assert.Single((await _client.GetFromJsonAsync<JsonElement>("/api/v1/events?level=error")).EnumerateArray());
        Assert.Equal(2, (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/events?eventType=log&from={Uri.EscapeDataString(MetricsTestSupport.Iso(now - 2500))}")).GetArrayLength());
        Assert.Equal("info", (await _client.GetFromJsonAsync<JsonElement>("/api/v1/events?source=worker"))[0].GetProperty("level").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/events/99999")).StatusCode);
    }

    [Theory]
    [InlineData("""{"eventType":"audit","message":"x"}""", "eventType")]
    [InlineData("""{"message":"x"}""", "eventType")]
    [InlineData("""{"eventType":"log","level":"loud"}""", "level")]
    [InlineData("""{"eventType":"log","payload":[1,2]}""", "payload")]
    [InlineData("""{"eventType":"log","tags":{"a":1}}""", "tags.a")]
    [InlineData("""[{"eventType":"log"},{"eventType":"nope"}]""", "[1].eventType")]
    [InlineData("""{"eventType":"log" """, "body")]
    public async Task BadEventsAreA400NamingTheFieldAndNothingIsStored(string json, string field)
    {
        var response = await _client.PostRawAsync("/api/v1/events", json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out var messages), text);
        if (field.EndsWith("eventType")) Assert.Contains("log, metric, trace, alert", messages[0].GetString());
        Assert.Equal(0, await _host.ScalarAsync("SELECT COUNT(*) FROM events"));
    }
}
