using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;
using Monitoring.Web.Tests.Metrics;

namespace Monitoring.Web.Tests.Events;

public sealed class EventsApiTests : HostTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" };

    [Fact]
    public async Task EventsAreStoredWithTagsAndPayloadAndFilteredNewestFirst()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ingest = Host.CreateClientWithKey(await Host.CreateApiKeyAsync("ingest"));
        var created = await ingest.PostAsJsonAsync("/api/v1/events", new { eventType = "alert", source = "db", level = "error", message = "disk full", tags = new { env = "prod" }, payload = new { used = 99.5, mount = "/" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var one = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(99.5, one.GetProperty("payload").GetProperty("used").GetDouble());
        Assert.Equal($"/api/v1/events/{one.GetProperty("id").GetInt64()}", created.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/api/v1/events")).StatusCode);

        var batch = await Client.PostAsJsonAsync("/api/v1/events", Enumerable.Range(0, 5).Select(i => new { eventType = "log", source = i % 2 == 0 ? "web" : "worker", message = $"m{i}", timestamp = MetricsTestSupport.Iso(now - (5 - i) * 1000) }).ToArray());
        Assert.Equal(HttpStatusCode.Created, batch.StatusCode);

        var logs = await Client.GetAsync("/api/v1/events?eventType=log&source=web&limit=2");
        Assert.Equal("3", logs.Headers.GetValues("X-Total-Count").Single());
        var list = (await logs.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Equal(["m4", "m2"], list);
        var page2 = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/events?eventType=log&source=web&limit=2&offset=2")).EnumerateArray().Select(e => e.GetProperty("message").GetString());
        Assert.Equal(["m0"], page2);
        Assert.Single((await Client.GetFromJsonAsync<JsonElement>("/api/v1/events?level=error")).EnumerateArray());
        Assert.Equal(2, (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/events?eventType=log&from={Uri.EscapeDataString(MetricsTestSupport.Iso(now - 2500))}")).GetArrayLength());
        Assert.Equal("info", (await Client.GetFromJsonAsync<JsonElement>("/api/v1/events?source=worker"))[0].GetProperty("level").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/events/99999")).StatusCode);
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
        var response = await Client.PostRawAsync("/api/v1/events", json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out var messages), text);
        if (field.EndsWith("eventType")) Assert.Contains("log, metric, trace, alert", messages[0].GetString());
        Assert.Equal(0, await Host.ScalarAsync("SELECT COUNT(*) FROM events"));
    }
}
