using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

/// <summary>Every mapped endpoint refuses an anonymous caller unless it is on the short public list.</summary>
public sealed class AnonymousAccessTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;

    // The whole public surface. Anything else answering an anonymous call is a hole.
    private static readonly string[] s_public =
    [
        "GET /health", "GET /metrics", "POST /api/v1/heartbeat/{token}",
        "GET /login", "POST /login", "GET /setup", "POST /setup", "GET /logout", "POST /logout", "GET /display/{token}",
    ];

    public Task InitializeAsync()
    {
        _host = new MonitoringHost(_dir.Path);
        _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task EveryEndpointRefusesAnonymousCallsExceptThePublicOnes()
    {
        var client = _host.CreateAnonymousClient();
        var endpoints = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        var checkedCount = 0;
        var holes = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (IsStaticAsset(pattern)) continue;
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "OPTIONS" && m != "HEAD"))
            {
                var name = $"{method} {pattern}";
                var url = Concrete(pattern);
                var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request);
                checkedCount++;
                var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/login", StringComparison.Ordinal));
                if (s_public.Contains(name)) continue;
                if (!refused) holes.Add($"{name} -> {(int)response.StatusCode}");
            }
        }
        Assert.True(checkedCount > 40);
        Assert.Empty(holes);
    }

    [Fact]
    public async Task StaticAssetsAndThePublicRoutesAreReachable()
    {
        var client = _host.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account.css")).StatusCode);
        // No user exists in this host: the login page sends the first visitor to set-up.
        var login = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/setup", login.Headers.Location!.ToString());
    }

    [Fact]
    public async Task APageRedirectsToLogin_AndAnApiCallGetsA401Problem()
    {
        var client = _host.CreateAnonymousClient();
        var page = await client.GetAsync("/services");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/login", page.Headers.Location!.ToString());
        var api = await client.GetAsync("/api/v1/services");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }

    private static bool IsStaticAsset(string pattern) =>
        pattern.StartsWith("/_framework/", StringComparison.Ordinal) || pattern.StartsWith("/_content/", StringComparison.Ordinal)
        || pattern.StartsWith("/lib/", StringComparison.Ordinal) || System.IO.Path.HasExtension(pattern.Split('/').Last())
        || pattern.StartsWith("/_blazor", StringComparison.Ordinal);

    private static string Concrete(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, "\\{([^}:]+)(:[^}]+)?\\}", m =>
        m.Groups[2].Value.Contains("long", StringComparison.Ordinal) || m.Groups[2].Value.Contains("int", StringComparison.Ordinal) ? "1"
        : m.Groups[1].Value.StartsWith('*') ? "x" : "x");
}
