using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;

namespace Monitoring.Web.Tests.Security;

/// <summary>
/// The named policies on a bare app (the login endpoint does not exist yet), with the client
/// address taken from a test header so that several addresses can be simulated.
/// </summary>
public sealed class RateLimitingPolicyTests : IAsyncLifetime
{
    private const string AddressHeader = "X-Test-Remote-Address";
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProblemDetails();
        builder.Services.Configure<MonitoringOptions>(o => o.Abuse.Login = new FixedWindowLimit { PermitLimit = 3, WindowSeconds = 300 });
        builder.Services.AddMonitoringAbuseProtection();
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(AddressHeader, out var address)) context.Connection.RemoteIpAddress = IPAddress.Parse(address!);
            return next(context);
        });
        _app.UseMonitoringAbuseProtection();
        _app.MapPost("/api/v1/auth/login", () => Results.NoContent()).RequireRateLimiting(RateLimitPolicies.Login);
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> LoginFrom(string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login");
        request.Headers.Add(AddressHeader, address);
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task LoginIsLimitedPerAddressWithTheWindowAsRetryAfter()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.NoContent, (await LoginFrom("203.0.113.7")).StatusCode);
        var rejected = await LoginFrom("203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(300), rejected.Headers.RetryAfter!.Delta);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);

        Assert.Equal(HttpStatusCode.NoContent, (await LoginFrom("203.0.113.8")).StatusCode);
        // The same IPv4 address seen as IPv4-mapped IPv6 is the same client.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFrom("::ffff:203.0.113.7")).StatusCode);
    }

    [Fact]
    public async Task AnIPv6ClientIsItsWhole64()
    {
        for (var i = 1; i <= 3; i++) Assert.Equal(HttpStatusCode.NoContent, (await LoginFrom($"2001:db8:1:2::{i}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFrom("2001:db8:1:2:ffff::9")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await LoginFrom("2001:db8:1:3::1")).StatusCode);
    }

    [Fact]
    public void PartitionsHoldAHashOfTheApiKey_NeverTheKey()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Api-Key"] = "mon_secret-key-value";
        var caller = RateLimitPartitions.Caller(context);
        Assert.StartsWith("k:", caller);
        Assert.DoesNotContain("secret", caller);
        Assert.Equal(caller, RateLimitPartitions.Caller(context));

        var other = new DefaultHttpContext();
        other.Request.Headers["X-Api-Key"] = "mon_secret-key-valuf";
        Assert.NotEqual(caller, RateLimitPartitions.Caller(other));
    }

    [Fact]
    public void WithoutAKeyTheUserNameThenTheAddressIdentifiesTheCaller()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.4");
        Assert.Equal("ip:198.51.100.4", RateLimitPartitions.Caller(context));
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "ops")], "test"));
        Assert.Equal("u:ops", RateLimitPartitions.Caller(context));
    }
}
