using System.Net;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

/// <summary>The global limiter over the real host: api, ingest, heartbeat and per-IP budgets by path.</summary>
public sealed class RateLimitingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _dir.Dispose();
    }

    // Buckets refill once an hour, so nothing refills while a test runs: counts are exact.
    private MonitoringHost Start(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>();
        foreach (var section in new[] { "Api", "Ingest", "Heartbeat", "ApiPerIp" })
        {
            all[$"Monitoring:Abuse:{section}:TokensPerPeriod"] = "1";
            all[$"Monitoring:Abuse:{section}:PeriodSeconds"] = "3600";
        }
        foreach (var (k, v) in settings) all[$"Monitoring:Abuse:{k}"] = v;
        _host = new MonitoringHost(_dir.Path, all);
        return _host;
    }

    private static async Task<List<HttpStatusCode>> CallAsync(HttpClient client, int times, Func<HttpClient, Task<HttpResponseMessage>> call)
    {
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++) codes.Add((await call(client)).StatusCode);
        return codes;
    }

    private static Task<HttpResponseMessage> List(HttpClient c) => c.GetAsync("/api/v1/services");

    [Fact]
    public async Task OverTheApiLimitIsA429WithRetryAfterAndAProblem()
    {
        var host = Start(("Api:PermitLimit", "3"));
        var client = SecurityTestCallers.Client(host);

        Assert.All(await CallAsync(client, 3, List), c => Assert.Equal(HttpStatusCode.OK, c));
        var rejected = await List(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = rejected.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalSeconds, 1, 3600);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Contains("retry after", problem.GetProperty("detail").GetString());
        Assert.Equal(rejected.Headers.GetValues("X-Request-ID").Single(), problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task EachApiKeyHasItsOwnBucket_AndKeylessCallersShareTheirAddresses()
    {
        var host = Start(("Api:PermitLimit", "2"));
        var alice = SecurityTestCallers.Client(host, "key-alice");
        var bob = SecurityTestCallers.Client(host, "key-bob");
        var keyless = SecurityTestCallers.Client(host);

        // Not 429 rather than 200: once keys are verified, the status of an allowed call is not ours to decide.
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, await CallAsync(alice, 2, List));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await List(alice)).StatusCode);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, await CallAsync(bob, 2, List));
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, await CallAsync(keyless, 2, List));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await List(bob)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await List(keyless)).StatusCode);
    }

    [Fact]
    public async Task RotatingMadeUpKeysHitsThePerAddressCeiling()
    {
        var host = Start(("Api:PermitLimit", "100"), ("ApiPerIp:PermitLimit", "4"));
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) codes.Add((await List(SecurityTestCallers.Client(host, $"made-up-{i}"))).StatusCode);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, codes.Take(4));
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[4]);
    }

    [Fact]
    public async Task HeartbeatPushesHaveTheirOwnLimit_NotTheApiOne()
    {
        var host = Start(("Api:PermitLimit", "2"), ("Heartbeat:PermitLimit", "5"));
        var client = SecurityTestCallers.Client(host);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, await CallAsync(client, 2, List));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await List(client)).StatusCode);

        // The api bucket is empty, yet heartbeats go through (an unknown token is a 404) up to their own limit.
        static Task<HttpResponseMessage> Beat(HttpClient c) => c.PostAsync("/api/v1/heartbeat/no-such-token", null);
        Assert.All(await CallAsync(client, 5, Beat), c => Assert.Equal(HttpStatusCode.NotFound, c));
        var rejected = await Beat(client);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.NotNull(rejected.Headers.RetryAfter);
    }

    [Fact]
    public async Task IngestRoutesUseTheIngestBucket()
    {
        var host = Start(("Api:PermitLimit", "3"), ("Ingest:PermitLimit", "2"));
        var client = SecurityTestCallers.Client(host, "integration");
        static Task<HttpResponseMessage> Push(HttpClient c) => c.PostAsync("/api/v1/metrics", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));
        static Task<HttpResponseMessage> Event(HttpClient c) => c.PostAsync("/api/v1/events/", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, new[] { (await Push(client)).StatusCode, (await Event(client)).StatusCode });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Push(client)).StatusCode);
        // Reads of the same paths are ordinary api calls.
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, await CallAsync(client, 3, c => c.GetAsync("/api/v1/metrics")));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await List(client)).StatusCode);
    }

    [Fact]
    public async Task PathsOutsideTheApiAreNotLimited()
    {
        var host = Start(("Api:PermitLimit", "1"), ("ApiPerIp:PermitLimit", "1"));
        var client = SecurityTestCallers.Client(host);
        Assert.All(await CallAsync(client, 5, c => c.GetAsync("/health")), c => Assert.Equal(HttpStatusCode.OK, c));
    }

    [Fact]
    public async Task DisabledMeansNoLimits()
    {
        var host = Start(("Enabled", "false"), ("Api:PermitLimit", "1"), ("ApiPerIp:PermitLimit", "1"));
        var client = SecurityTestCallers.Client(host);
        Assert.All(await CallAsync(client, 5, List), c => Assert.Equal(HttpStatusCode.OK, c));
    }

    [Theory]
    [InlineData("Api:PermitLimit", "0")]
    [InlineData("Login:WindowSeconds", "0")]
    [InlineData("MaxRequestBodyBytes", "10")]
    [InlineData("AllowedOrigins:0", "not an origin")]
    [InlineData("PublicOrigin", "https://monitor.example.com/path")]
    public void InvalidAbuseOptionsStopTheStartNamingTheKey(string key, string value)
    {
        Start((key, value));
        var ex = Assert.ThrowsAny<Exception>(() => _host!.CreateClient());
        Assert.Contains($"Monitoring:Abuse:{key}", ex.ToString());
    }
}
