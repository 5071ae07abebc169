using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Tests.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Security;

/// <summary>A loopback HTTP target whose redirects point where a check must not go.</summary>
public sealed class RedirectTargetFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";
    public int Requests => _requests;
    private int _requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use((ctx, next) => { Interlocked.Increment(ref _requests); return next(ctx); });
        app.MapGet("/ok", () => "fine");
        app.MapGet("/to-self", () => Results.Redirect("/ok"));
        app.MapGet("/to-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
        app.MapGet("/to-mapped", () => Results.Redirect("http://[::ffff:169.254.169.254]/latest/meta-data/"));
        app.MapGet("/to-name", () => Results.Redirect("http://metadata.test/computeMetadata/v1/"));
        // A hop through an allowed redirect first: every hop is judged, not just the first and last.
        app.MapGet("/two-hops", () => Results.Redirect("/to-metadata"));
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _app = app;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

/// <summary>
/// The checkers as the app registers them, with the policy in front of every connection. Every
/// provider here refuses (in the test hook, after the policy) to connect anywhere but loopback,
/// so a policy bug fails the test instead of sending a packet off this machine.
/// </summary>
public sealed class OutboundCheckTests(RedirectTargetFixture target) : IClassFixture<RedirectTargetFixture>
{
    private readonly ConcurrentQueue<IPEndPoint> _attempts = new();

    /// <summary>Names the fake resolver knows; anything else does not resolve (no real DNS but /etc/hosts-free names).</summary>
    private static readonly Dictionary<string, IPAddress[]> s_names = new()
    {
        ["metadata.test"] = [IPAddress.Parse("169.254.169.254")],
        ["both.test"] = [IPAddress.Parse("169.254.169.254"), IPAddress.Loopback],
        ["localhost"] = [IPAddress.IPv6Loopback, IPAddress.Loopback],
    };

    private ServiceProvider Provider(Action<OutboundOptions>? configure = null)
    {
        var options = new MonitoringOptions();
        configure?.Invoke(options.Outbound);
        var policy = new OutboundPolicy(options.Outbound, (host, _) => s_names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : throw new SocketException((int)SocketError.HostNotFound))
        {
            ConnectAttempt = endPoint =>
            {
                _attempts.Enqueue(endPoint);
                if (!IPAddress.IsLoopback(endPoint.Address))
                    throw new InvalidOperationException($"Test guard: the policy let a connection to {endPoint} through.");
            },
        };
        var services = new ServiceCollection();
        services.AddSingleton(policy); // AddCheckers keeps it (TryAdd)
        services.AddCheckers(options);
        var provider = services.BuildServiceProvider();
        AssertHandlerConnectsThrough(provider, policy);
        return provider;
    }

    /// <summary>
    /// Precondition for every http test here: if the shared handler did not connect through the
    /// policy, the guard above would never run and a blocked-target test would really connect.
    /// </summary>
    private static void AssertHandlerConnectsThrough(IServiceProvider provider, OutboundPolicy policy)
    {
        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpChecker.ClientName);
        while (handler is DelegatingHandler delegating) handler = delegating.InnerHandler;
        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.False(sockets.UseProxy);
        Assert.Same(policy, sockets.ConnectCallback?.Target);
    }

    private static Task<CheckOutcome> Check<T>(ServiceProvider provider, ServiceType type, string target) where T : IChecker =>
        provider.Checker<T>().CheckAsync(Service(type, target), TestTimeout());

    private void AssertOnlyLoopbackAttempted() =>
        Assert.All(_attempts, e => Assert.True(IPAddress.IsLoopback(e.Address), $"connection attempted to {e}"));

    [Theory]
    [InlineData("/to-metadata", "169.254.169.254 is link-local/cloud metadata")]
    [InlineData("/to-mapped", "169.254.169.254 is link-local/cloud metadata")]
    [InlineData("/two-hops", "169.254.169.254 is link-local/cloud metadata")]
    [InlineData("/to-name", "resolved from metadata.test")]
    public async Task Redirect_to_a_blocked_address_is_unhealthy_and_never_connected(string path, string reason)
    {
        using var provider = Provider();

        var outcome = await Check<HttpChecker>(provider, ServiceType.Http, target.BaseUrl + path);

        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("outbound policy", outcome.Message);
        Assert.Contains(reason, outcome.Message);
        Assert.Contains("Redirected to http://", outcome.Message);
        Assert.NotEmpty(_attempts); // the first hop did connect, to loopback
        AssertOnlyLoopbackAttempted();
    }

    [Fact]
    public async Task Redirect_within_allowed_addresses_still_works()
    {
        using var provider = Provider();
        var outcome = await Check<HttpChecker>(provider, ServiceType.Http, target.BaseUrl + "/to-self");
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        AssertOnlyLoopbackAttempted();
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://2852039166/")]            // 169.254.169.254 as one number
    [InlineData("http://0xA9FEA9FE/")]
    [InlineData("http://169.254.43518/")]
    [InlineData("https://169.254.169.254/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0:9/")]            // 0.0.0.0 reaches this host on Linux
    [InlineData("http://[::]:9/")]
    [InlineData("http://metadata.test/")]
    public async Task Direct_target_in_a_blocked_range_is_unhealthy_without_a_connection(string url)
    {
        using var provider = Provider();
        var started = Stopwatch.GetTimestamp();

        var outcome = await Check<HttpChecker>(provider, ServiceType.Http, url);

        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.StartsWith("Blocked by the outbound policy: ", outcome.Message);
        Assert.DoesNotContain("Redirected", outcome.Message);
        Assert.Empty(_attempts);
        // Refused before any network wait (a real attempt at 169.254.169.254 would hang until the timeout).
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Name_with_a_blocked_and_an_allowed_address_connects_only_to_the_allowed_one()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackServer((_, _) => { accepted.TrySetResult(); return Task.CompletedTask; });
        using var provider = Provider();

        var outcome = await Check<TcpChecker>(provider, ServiceType.Tcp, $"both.test:{server.Port}");

        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, server.Port)], _attempts);
        await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Private_tcp_target_is_blocked_without_a_connection_when_private_ranges_are_blocked()
    {
        using var provider = Provider(o => o.BlockPrivateRanges = true);

        var outcome = await Check<TcpChecker>(provider, ServiceType.Tcp, "10.0.0.1:80");

        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Equal("Cannot connect to 10.0.0.1:80: Blocked by the outbound policy: 10.0.0.1 is private (Monitoring:Outbound:BlockPrivateRanges is true).", outcome.Message);
        Assert.Empty(_attempts);
    }

    [Fact]
    public async Task Loopback_is_allowed_by_default()
    {
        await using var server = new LoopbackServer((_, _) => Task.CompletedTask);
        using var provider = Provider();

        Assert.Equal(ServiceStatus.Healthy, (await Check<TcpChecker>(provider, ServiceType.Tcp, server.Target)).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check<HttpChecker>(provider, ServiceType.Http, target.BaseUrl + "/ok")).Status);
    }

    [Fact]
    public async Task Loopback_is_blocked_for_every_connecting_checker_when_not_allowed()
    {
        var accepted = 0;
        await using var server = new LoopbackServer((_, _) => { Interlocked.Increment(ref accepted); return Task.CompletedTask; });
        using var provider = Provider(o => o.AllowLoopback = false);
        var requestsBefore = target.Requests;

        var outcomes = new[]
        {
            await Check<TcpChecker>(provider, ServiceType.Tcp, server.Target),
            await Check<TcpChecker>(provider, ServiceType.Tcp, $"localhost:{server.Port}"),
            await Check<TlsChecker>(provider, ServiceType.Tls, server.Target),
            await Check<RedisChecker>(provider, ServiceType.Redis, server.Target),
            await Check<HttpChecker>(provider, ServiceType.Http, target.BaseUrl + "/ok"),
            await Check<HttpChecker>(provider, ServiceType.Http, $"http://localhost:{server.Port}/"),
        };

        Assert.All(outcomes, o =>
        {
            Assert.Equal(ServiceStatus.Unhealthy, o.Status);
            Assert.Contains("outbound policy", o.Message);
            Assert.Contains("loopback (Monitoring:Outbound:AllowLoopback is false)", o.Message);
        });
        Assert.Empty(_attempts);
        Assert.Equal(0, accepted);
        Assert.Equal(requestsBefore, target.Requests);
    }

    [Fact]
    public async Task Allowed_ranges_override_the_blocks()
    {
        await using var server = new LoopbackServer((_, _) => Task.CompletedTask);
        using var provider = Provider(o =>
        {
            o.AllowLoopback = false;
            o.AllowedRanges = ["127.0.0.1/32"];
        });

        Assert.Equal(ServiceStatus.Healthy, (await Check<TcpChecker>(provider, ServiceType.Tcp, server.Target)).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check<HttpChecker>(provider, ServiceType.Http, target.BaseUrl + "/ok")).Status);
        // ::1 is not in the allowed range, so localhost connects over 127.0.0.1 only.
        Assert.Equal(ServiceStatus.Healthy, (await Check<TcpChecker>(provider, ServiceType.Tcp, $"localhost:{server.Port}")).Status);
        Assert.DoesNotContain(_attempts, e => e.Address.Equals(IPAddress.IPv6Loopback));
    }

    [Fact]
    public async Task Dns_check_reports_blocked_answers_but_stays_healthy()
    {
        // The dns checker asks the system resolver (it measures it); localhost comes from /etc/hosts.
        using var provider = Provider(o => o.AllowLoopback = false);

        var outcome = await Check<DnsChecker>(provider, ServiceType.Dns, "localhost");

        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Contains("blocked by the outbound policy", outcome.Message);
        Assert.Contains("127.0.0.1 is loopback", outcome.Message);
    }

    [Fact]
    public async Task Executor_reports_the_block_as_unhealthy()
    {
        using var provider = Provider();
        var executor = new CheckExecutor(provider.GetServices<IChecker>(), new Monitoring.Web.Metrics.AppMetrics(), TimeProvider.System);

        var result = await executor.RunAsync(Service(ServiceType.Http, target.BaseUrl + "/to-metadata"), 0, TestTimeout());

        Assert.Equal(ServiceStatus.Unhealthy, result.Status);
        Assert.Contains("outbound policy", result.Message);
        AssertOnlyLoopbackAttempted();
    }

    [Fact]
    public void Registration_uses_one_policy_built_from_configuration()
    {
        var options = new MonitoringOptions();
        options.Outbound.BlockPrivateRanges = true;
        var services = new ServiceCollection();
        services.AddCheckers(options);
        using var provider = services.BuildServiceProvider();

        var policy = provider.GetRequiredService<OutboundPolicy>();
        Assert.Same(policy, provider.GetRequiredService<OutboundPolicy>());
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.0.0.1"), out _));
        Assert.Contains(provider.GetServices<Microsoft.Extensions.Options.IValidateOptions<MonitoringOptions>>(), v => v is OutboundOptionsValidator);
    }
}
