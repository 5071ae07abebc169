using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Metrics;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

/// <summary>A tiny Kestrel app on 127.0.0.1:0 that plays every kind of HTTP target.</summary>
public sealed class HttpTargetFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Request headers seen by <c>/trace/{id}</c>, per id.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<Dictionary<string, string>>> Seen { get; } = new();

    public TaskCompletionSource<Dictionary<string, string>> Expect(string id) =>
        Seen.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/ok", () => "all good");
        app.MapGet("/fail", () => Results.Text("boom", statusCode: 500));
        app.MapGet("/missing", () => Results.Text("nothing here", statusCode: 404));
        app.MapGet("/json", () => Results.Text("""{"status":"ok","version":3,"a":{"b":[{"c":"deep"}]},"flag":true}""", "application/json"));
        app.MapGet("/header", (HttpContext ctx) =>
        {
            ctx.Response.Headers["X-Build"] = "release-1.2.3";
            return "with header";
        });
        app.MapGet("/redirect", () => Results.Redirect("/redirected"));
        app.MapGet("/redirected", () => "landed after redirect");
        app.MapGet("/trace/{id}", (string id, HttpContext ctx) =>
        {
            Expect(id).TrySetResult(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            return "traced";
        });
        app.MapGet("/slow", async (HttpContext ctx) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted);
            return "too late";
        });
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _app = app;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

public sealed class HttpCheckerTests(HttpTargetFixture target) : IClassFixture<HttpTargetFixture>, IDisposable
{
    private static readonly Regex s_traceparent = new("^00-(?<trace>[0-9a-f]{32})-(?<span>[0-9a-f]{16})-0[01]$");
    private readonly ServiceProvider _provider = Provider(userAgent: "MonitoringTest/1.0");

    private HttpChecker Checker => _provider.Checker<HttpChecker>();

    private Task<CheckOutcome> Check(string path, params CheckCondition[] conditions) =>
        Checker.CheckAsync(Service(ServiceType.Http, target.BaseUrl + path, conditions), TestTimeout());

    [Fact]
    public async Task Ok_is_healthy_with_status_code()
    {
        var outcome = await Check("/ok");
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Equal(200, outcome.StatusCode);
        Assert.True(outcome.LatencyMs > 0);
    }

    [Fact]
    public async Task Server_error_is_unhealthy()
    {
        var outcome = await Check("/fail");
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Equal(500, outcome.StatusCode);
        Assert.Contains("500", outcome.Message);
    }

    [Fact]
    public async Task Not_found_is_unhealthy_by_default_but_accepted_by_status_condition()
    {
        Assert.Equal(ServiceStatus.Unhealthy, (await Check("/missing")).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/missing", Condition("statusCode", "200, 404"))).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/missing", Condition("statusCode", "4xx"))).Status);
    }

    [Fact]
    public async Task Status_condition_replaces_the_default()
    {
        var outcome = await Check("/ok", Condition("statusCode", "204"));
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("statusCode", outcome.Message);
    }

    [Fact]
    public async Task Body_contains_hit_and_miss()
    {
        Assert.Equal(ServiceStatus.Healthy, (await Check("/ok", Condition("bodyContains", "good"))).Status);
        var miss = await Check("/ok", Condition("bodyContains", "bad news"));
        Assert.Equal(ServiceStatus.Unhealthy, miss.Status);
        Assert.Contains("bad news", miss.Message);
        Assert.Equal(ServiceStatus.Unhealthy, (await Check("/ok", Condition("bodyContains", "good", op: "!="))).Status);
    }

    [Fact]
    public async Task Json_path_equals_hit_and_miss()
    {
        Assert.Equal(ServiceStatus.Healthy, (await Check("/json", Condition("jsonPath", "ok", key: "$.status"))).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/json", Condition("jsonPath", "deep", key: "$.a.b[0].c"))).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/json", Condition("jsonPath", "2", op: ">", key: "$.version"))).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/json", Condition("jsonPath", "true", key: "$.flag"))).Status);

        var wrong = await Check("/json", Condition("jsonPath", "down", key: "$.status"));
        Assert.Equal(ServiceStatus.Unhealthy, wrong.Status);
        Assert.Contains("$.status", wrong.Message);
        Assert.Contains("'ok'", wrong.Message);

        var missing = await Check("/json", Condition("jsonPath", "x", key: "$.a.b[3].c"));
        Assert.Equal(ServiceStatus.Unhealthy, missing.Status);
        Assert.Contains("out of range", missing.Message);

        var notJson = await Check("/ok", Condition("jsonPath", "ok", key: "$.status"));
        Assert.Equal(ServiceStatus.Unhealthy, notJson.Status);
        Assert.Contains("not valid JSON", notJson.Message);
    }

    [Fact]
    public async Task Header_condition_matches_name_case_insensitively_and_value_by_contains()
    {
        Assert.Equal(ServiceStatus.Healthy, (await Check("/header", Condition("header", "1.2", key: "x-build"))).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/header", Condition("header", "RELEASE-1.2.3", op: "==", key: "X-Build"))).Status);
        Assert.Equal(ServiceStatus.Unhealthy, (await Check("/header", Condition("header", "1.2", op: "==", key: "X-Build"))).Status);
        Assert.Equal(ServiceStatus.Healthy, (await Check("/header", Condition("header", "text/plain", key: "content-type"))).Status);

        var missing = await Check("/ok", Condition("header", "anything", key: "X-Build"));
        Assert.Equal(ServiceStatus.Unhealthy, missing.Status);
        Assert.Contains("missing", missing.Message);
    }

    [Fact]
    public async Task Latency_condition_is_a_maximum_by_default()
    {
        Assert.Equal(ServiceStatus.Healthy, (await Check("/ok", Condition("latencyMs", "5000"))).Status);
        var tooSlow = await Check("/ok", Condition("latencyMs", "0", op: "<"));
        Assert.Equal(ServiceStatus.Unhealthy, tooSlow.Status);
        Assert.Contains("latencyMs", tooSlow.Message);
    }

    [Fact]
    public async Task Redirect_is_followed()
    {
        var outcome = await Check("/redirect", Condition("bodyContains", "landed after redirect"));
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Equal(200, outcome.StatusCode);
    }

    [Fact]
    public async Task Connection_refused_is_unhealthy()
    {
        var outcome = await Checker.CheckAsync(Service(ServiceType.Http, $"http://127.0.0.1:{ClosedPort()}/"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("Request failed", outcome.Message);
    }

    [Fact]
    public async Task Target_receives_request_id_traceparent_and_user_agent_from_the_executor()
    {
        var seen = target.Expect("executor");
        var executor = new CheckExecutor(_provider.GetServices<IChecker>(), new AppMetrics(), TimeProvider.System);

        var result = await executor.RunAsync(Service(ServiceType.Http, target.BaseUrl + "/trace/executor"), 0, TestTimeout());
        var headers = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ServiceStatus.Healthy, result.Status);
        var match = s_traceparent.Match(headers["traceparent"]);
        Assert.True(match.Success, $"traceparent '{headers["traceparent"]}' is not W3C");
        Assert.NotEqual(new string('0', 32), match.Groups["trace"].Value);
        Assert.Equal(match.Groups["trace"].Value, headers["X-Request-ID"]);
        Assert.Equal("MonitoringTest/1.0", headers["User-Agent"]);
    }

    [Fact]
    public async Task Traceparent_is_the_current_activity()
    {
        var seen = target.Expect("activity");
        using var activity = new Activity("test");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.Start();

        await Check("/trace/activity");
        var headers = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(activity.Id, headers["traceparent"]);
        Assert.Equal(activity.TraceId.ToHexString(), headers["X-Request-ID"]);
    }

    [Fact]
    public async Task Slow_target_times_out_through_the_executor()
    {
        var executor = new CheckExecutor(_provider.GetServices<IChecker>(), new AppMetrics(), TimeProvider.System);
        var service = Service(ServiceType.Http, target.BaseUrl + "/slow") with { TimeoutMs = 300 };

        var started = Stopwatch.GetTimestamp();
        var result = await executor.RunAsync(service, 0, TestTimeout());

        Assert.Equal(ServiceStatus.Unhealthy, result.Status);
        Assert.Contains("Timed out after 300 ms", result.Message);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(200, "200", true)]
    [InlineData(204, "200, 204", true)]
    [InlineData(301, "2xx,3xx", true)]
    [InlineData(404, "2xx", false)]
    [InlineData(503, "5XX", true)]
    [InlineData(500, "", false)]
    public void Status_lists(int code, string list, bool expected) => Assert.Equal(expected, HttpChecker.StatusMatches(code, list));

    public void Dispose() => _provider.Dispose();
}
