using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Hosting;

public sealed class PlumbingTests : HostTests
{

    [Fact]
    public async Task HealthSaysOk()
    {
        var health = await Client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.False(string.IsNullOrEmpty(health.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task EveryResponseCarriesARequestId_EchoingASaneOne()
    {
        var made = await Client.GetAsync("/health");
        Assert.False(string.IsNullOrEmpty(made.Headers.GetValues("X-Request-ID").Single()));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/services/12345");
        request.Headers.Add("X-Request-ID", "abc-123");
        var echoed = await Client.SendAsync(request);
        Assert.Equal("abc-123", echoed.Headers.GetValues("X-Request-ID").Single());
        var problem = await echoed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("abc-123", problem.GetProperty("requestId").GetString());

        var hostile = new HttpRequestMessage(HttpMethod.Get, "/health");
        hostile.Headers.TryAddWithoutValidation("X-Request-ID", "<script>alert(1)</script>");
        var replaced = await Client.SendAsync(hostile);
        Assert.NotEqual("<script>alert(1)</script>", replaced.Headers.GetValues("X-Request-ID").Single());
    }

    [Fact]
    public async Task AnUnhandledExceptionIsA500ProblemWithTheRequestIdAndNoStackTrace()
    {
        Host.BreakDatabase = true;
        var response = await Client.GetAsync("/api/v1/incidents");
        Host.BreakDatabase = false;
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-internal-detail", text);
        Assert.DoesNotContain("   at ", text);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(response.Headers.GetValues("X-Request-ID").Single(), problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task MetricsArePrometheusText()
    {
        var response = await Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var name in new[] { "monitoring_checks_total", "monitoring_check_start_lag_seconds_bucket", "monitoring_checks_in_flight",
                     "monitoring_checks_skipped_total", "monitoring_writer_queue_depth", "monitoring_incidents_active" })
            Assert.Contains(name, text);
        // Every sample line is "name{labels} value" with a parseable number.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var value = line[(line.LastIndexOf(' ') + 1)..];
            Assert.True(value == "+Inf" || double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _), line);
        }
    }

    [Fact]
    public async Task OpenApiDocumentListsTheApi()
    {
        var doc = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/services", out _));
        Assert.True(paths.TryGetProperty("/api/v1/services/{id}/uptime", out _));
        Assert.True(paths.TryGetProperty("/api/v1/incidents/active", out _));
    }

    [Fact]
    public async Task ReportListsServices()
    {
        await Client.PostAsJsonAsync("/api/v1/services", new { name = "r1", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 60 });
        var report = await Client.GetFromJsonAsync<JsonElement>("/api/v1/report");
        Assert.Equal("r1", report.GetProperty("services")[0].GetProperty("name").GetString());
        Assert.Equal(0, report.GetProperty("activeAlerts").GetArrayLength());
    }
}

public sealed class StatsTests
{
    [Fact]
    public async Task StatsCountWhatTheStoreHolds()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path);
        var client = host.CreateClient();
        var now = DateTimeOffset.UtcNow;
        (await client.PostAsJsonAsync("/api/v1/events", new { eventType = "log", source = "tests", message = "hello", level = "info" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/metrics", new[]
        {
            new { name = "queue_depth", type = "gauge", value = 3.0, labels = new Dictionary<string, string>(), service = "s", timestamp = now },
            new { name = "queue_depth", type = "gauge", value = 4.0, labels = new Dictionary<string, string>(), service = "s", timestamp = now.AddSeconds(1) },
        })).EnsureSuccessStatusCode();
        var id = await client.CreateServiceAsync(new { name = "s", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 200 });
        (await client.PostAsync($"/api/v1/services/{id}/check", null)).EnsureSuccessStatusCode();

        // The check of a closed port failed, so the built-in "service down" rule raises one alert (after the commit).
        var stats = await Eventually.WaitAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v1/stats"),
            s => s.GetProperty("activeAlerts").GetInt32() == 1, TimeSpan.FromSeconds(20), "the down alert to count");
        Assert.Equal(1, stats.GetProperty("totalEvents").GetInt64());
        Assert.Equal(1, stats.GetProperty("eventsLastHour").GetInt64());
        // The host collector stores this machine's own figures as samples too.
        Assert.True(stats.GetProperty("totalMetrics").GetInt64() >= 2);
        Assert.Equal(1, stats.GetProperty("checksTotal").GetInt64());
        Assert.True(stats.TryGetProperty("checkQueueDepth", out _));
    }
}

public sealed class JobStorageTests
{
    [Fact]
    public async Task EachHostHasItsOwnJobStorage_SoTwoHostsInOneProcessNeverRunEachOthersJobs()
    {
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        await using var a = new MonitoringHost(dirA.Path);
        await using var b = new MonitoringHost(dirB.Path);
        a.CreateClient();
        b.CreateClient();
        var storageA = a.Services.GetRequiredService<Hangfire.JobStorage>();
        var storageB = b.Services.GetRequiredService<Hangfire.JobStorage>();
        Assert.NotSame(storageA, storageB);

        // A job enqueued through host A's client lands in A's storage only.
        var jobId = Hangfire.BackgroundJobClientExtensions.Schedule(a.Services.GetRequiredService<Hangfire.IBackgroundJobClient>(), () => Console.WriteLine("noop"), TimeSpan.FromHours(1));
        using var connA = storageA.GetConnection();
        using var connB = storageB.GetConnection();
        Assert.Equal("WriteLine", connA.GetJobData(jobId)?.Job?.Method.Name);
        // Ids are per storage (B may hold its own job "N"), so compare what the job is.
        Assert.NotEqual("WriteLine", connB.GetJobData(jobId)?.Job?.Method.Name);
    }
}

/// <summary>A Hangfire job that records which host's container activated it.</summary>
public sealed class HostProbeJob(Microsoft.Extensions.Options.IOptions<Monitoring.Web.Hosting.MonitoringOptions> options)
{
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Seen = new();

    public void Run(string marker) => Seen[marker] = options.Value.DataDirectory;
}

public sealed class JobActivationTests
{
    [Fact]
    public async Task AJobRunsInTheContainerOfTheHostThatEnqueuedIt_EvenAfterAnotherHostStartedOrStopped()
    {
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        await using var a = new MonitoringHost(dirA.Path);
        a.CreateClient();
        var b = new MonitoringHost(dirB.Path);
        b.CreateClient(); // B configured Hangfire last: the process-wide defaults now point at B
        var clientA = a.Services.GetRequiredService<Hangfire.IBackgroundJobClient>();

        var first = Guid.NewGuid().ToString("N");
        Hangfire.BackgroundJobClientExtensions.Enqueue<HostProbeJob>(clientA, j => j.Run(first));
        await Eventually.WaitAsync(() => Task.FromResult(HostProbeJob.Seen.ContainsKey(first)), x => x, TimeSpan.FromSeconds(30), "the first job to run");
        Assert.Equal(dirA.Path, HostProbeJob.Seen[first]);

        await b.DisposeAsync(); // B's container is gone; A's jobs must not need it
        var second = Guid.NewGuid().ToString("N");
        Hangfire.BackgroundJobClientExtensions.Enqueue<HostProbeJob>(clientA, j => j.Run(second));
        await Eventually.WaitAsync(() => Task.FromResult(HostProbeJob.Seen.ContainsKey(second)), x => x, TimeSpan.FromSeconds(30), "the second job to run");
        Assert.Equal(dirA.Path, HostProbeJob.Seen[second]);
    }
}
