using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Services;

public sealed class ServicesApiTests : HostTests
{

    private static object Service(string name = "api", string type = "http", string target = "http://127.0.0.1:9/", int interval = 60, int timeout = 1000) =>
        new { name, type, target, intervalSeconds = interval, timeoutMs = timeout };

    private async Task<int> CountAsync() => (await Client.GetFromJsonAsync<JsonElement>("/api/v1/services")).GetArrayLength();

    [Fact]
    public async Task CreateReturns201WithLocationAndTheService()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/services", Service());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/services/{id}", response.Headers.Location!.ToString());
        Assert.Equal("unknown", body.GetProperty("status").GetString());

        var fetched = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{id}");
        Assert.Equal("api", fetched.GetProperty("service").GetProperty("name").GetString());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"name":"","type":"http","target":"http://a.test/","intervalSeconds":10}""", "name" },
        { """{"name":"x","type":"gopher","target":"http://a.test/","intervalSeconds":10}""", "type" },
        { """{"name":"x","target":"http://a.test/","intervalSeconds":10}""", "type" },
        { """{"name":"x","type":"http","target":"http://a.test/","intervalSeconds":0}""", "intervalSeconds" },
        { """{"name":"x","type":"http","target":"http://a.test/","intervalSeconds":86401}""", "intervalSeconds" },
        { """{"name":"x","type":"http","target":"http://a.test/","intervalSeconds":10,"timeoutMs":10000}""", "timeoutMs" },
        { """{"name":"x","type":"http","target":"not a url","intervalSeconds":10}""", "target" },
        { """{"name":"x","type":"tcp","target":"db.internal","intervalSeconds":10}""", "target" },
        { """{"name":"x","type":"dns","target":"bad host!","intervalSeconds":10}""", "target" },
        { """{"name":"x","type":"http","target":"http://a.test/","intervalSeconds":"often"}""", "intervalSeconds" },
        { """{"name":"x","type":"http","target":"http://a.test/","intervalSeconds":10,"dependsOn":[999]}""", "dependsOn" },
        { """{"name":"x","type":"http","target":"http://a.test/","intervalSeconds":10,"criticality":"meh"}""", "criticality" },
        { """not json""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInputIsA400NamingTheFieldAndStoresNothing(string json, string field)
    {
        var response = await Client.PostAsync("/api/v1/services", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task UnknownIdsAre404ProblemDetails()
    {
        foreach (var (method, path) in new[] { ("GET", "/api/v1/services/999"), ("DELETE", "/api/v1/services/999"), ("GET", "/api/v1/services/999/health"),
                     ("GET", "/api/v1/services/999/history"), ("POST", "/api/v1/services/999/check"), ("GET", "/api/v1/services/999/uptime"),
                     ("GET", "/api/v1/services/999/incidents"), ("GET", "/api/v1/incidents/999") })
        {
            var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        var put = await Client.PutAsJsonAsync("/api/v1/services/999", Service());
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task UpdateChangesConfigurationAndValidates()
    {
        var created = await (await Client.PostAsJsonAsync("/api/v1/services", Service())).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();

        var ok = await Client.PutAsJsonAsync($"/api/v1/services/{id}", new { intervalSeconds = 30, tags = new[] { "prod" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var updated = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(30, updated.GetProperty("intervalSeconds").GetInt32());
        Assert.Equal("api", updated.GetProperty("name").GetString());

        var bad = await Client.PutAsJsonAsync($"/api/v1/services/{id}", new { timeoutMs = 60_000 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var after = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{id}");
        Assert.Equal(30, after.GetProperty("service").GetProperty("intervalSeconds").GetInt32());
    }

    [Fact]
    public async Task DeleteRemovesTheService()
    {
        var created = await (await Client.PostAsJsonAsync("/api/v1/services", Service())).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/services/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/services/{id}")).StatusCode);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task ListFiltersByTagAndQueryAndRespectsLimit()
    {
        await Client.PostAsJsonAsync("/api/v1/services", new { name = "payments", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 60, tags = new[] { "prod" } });
        await Client.PostAsJsonAsync("/api/v1/services", new { name = "search", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 60, tags = new[] { "staging" } });
        await Client.PostAsJsonAsync("/api/v1/services", new { name = "paused one", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 60, enabled = false });

        var prod = await Client.GetFromJsonAsync<JsonElement>("/api/v1/services?tag=prod");
        Assert.Equal("payments", Assert.Single(prod.EnumerateArray()).GetProperty("name").GetString());
        var q = await Client.GetFromJsonAsync<JsonElement>("/api/v1/services?q=sea");
        Assert.Equal("search", Assert.Single(q.EnumerateArray()).GetProperty("name").GetString());
        var paused = await Client.GetFromJsonAsync<JsonElement>("/api/v1/services?status=paused");
        Assert.Equal("paused one", Assert.Single(paused.EnumerateArray()).GetProperty("name").GetString());
        var limited = await Client.GetFromJsonAsync<JsonElement>("/api/v1/services?limit=2");
        Assert.Equal(2, limited.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/v1/services?limit=5000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/v1/services?status=sideways")).StatusCode);
    }

    [Fact]
    public async Task UptimeRejectsUnknownPeriodsAndHistoryRejectsBadTimes()
    {
        var created = await (await Client.PostAsJsonAsync("/api/v1/services", Service())).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        var uptime = await Client.GetAsync($"/api/v1/services/{id}/uptime?period=1y");
        Assert.Equal(HttpStatusCode.BadRequest, uptime.StatusCode);
        Assert.Contains("period", await uptime.Content.ReadAsStringAsync());
        var history = await Client.GetAsync($"/api/v1/services/{id}/history?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, history.StatusCode);
        Assert.Contains("from", await history.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HeartbeatServicesGetAPushUrlAndUnknownTokensAre404()
    {
        var created = await (await Client.PostAsJsonAsync("/api/v1/services", new { name = "nightly", type = "heartbeat", intervalSeconds = 3600 })).Content.ReadFromJsonAsync<JsonElement>();
        var url = created.GetProperty("heartbeatUrl").GetString()!;
        Assert.StartsWith("/api/v1/heartbeat/", url);
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsync(url, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync("/api/v1/heartbeat/not-a-token", null)).StatusCode);
    }

    [Fact]
    public async Task RestartKeepsServices()
    {
        await Client.PostAsJsonAsync("/api/v1/services", Service("kept"));
        await RestartAsync();
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/v1/services");
        Assert.Equal("kept", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
    }
}
