using System.Net;
using System.Text.Json;
using Monitoring.Core.Realtime;
using Monitoring.Web.Security;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

public sealed class OriginCheckTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new MonitoringHost(_dir.Path, new Dictionary<string, string?>
        {
            ["Monitoring:Abuse:AllowedOrigins:0"] = "https://noc.example.com",
            ["Monitoring:Abuse:PublicOrigin"] = "https://monitor.example.com",
        });
        _client = SecurityTestCallers.Client(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private Task<HttpResponseMessage> NegotiateAsync(string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{MonitoringHubContract.Path}/negotiate?negotiateVersion=1");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return _client.SendAsync(request);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://localhost:8080")]
    [InlineData("https://localhost")]
    [InlineData("null")]
    public async Task AForeignOriginIsA403Problem(string origin)
    {
        var response = await NegotiateAsync(origin);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
    }

    [Theory]
    [InlineData("http://localhost")] // the test server's own origin
    [InlineData("HTTP://LOCALHOST:80")]
    [InlineData("https://noc.example.com")]
    [InlineData("https://monitor.example.com:443")]
    [InlineData(null)] // not a browser
    public async Task SameOriginConfiguredOriginsAndNoOriginMayNegotiate(string? origin)
    {
        var response = await NegotiateAsync(origin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("connectionToken", out _));
    }

    [Fact]
    public async Task LongPollingRequestsAreCheckedToo()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{MonitoringHubContract.Path}?id=whatever");
        request.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task OtherPathsIgnoreTheOrigin()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("https://Monitor.Example.com", true, "https://monitor.example.com")]
    [InlineData("http://10.0.0.5:8080", true, "http://10.0.0.5:8080")]
    [InlineData("https://monitor.example.com/", true, "https://monitor.example.com")]
    [InlineData("https://monitor.example.com/app", false, "")]
    [InlineData("https://user@monitor.example.com", false, "")]
    [InlineData("ftp://monitor.example.com", false, "")]
    [InlineData("monitor.example.com", false, "")]
    public void OriginsAreNormalized(string input, bool valid, string expected)
    {
        Assert.Equal(valid, OriginCheck.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }
}
