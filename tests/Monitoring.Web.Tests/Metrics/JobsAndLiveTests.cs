using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Realtime;
using Monitoring.Web.Metrics;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

public sealed class JobsAndLiveTests : HostTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Monitoring:Host:IntervalSeconds"] = "1" };

    [Fact]
    public async Task TheAggregationJobStoresTheFiveMinuteResponseTimeAverage()
    {
        var id = await Client.CreateServiceAsync(new { name = "payments", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100, enabled = false });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Dir.Path, "monitoring.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO check_results (ServiceId, DueAtMs, StartedAtMs, Status, LatencyMs, Attempts) VALUES ($s, $t, $t, 1, $l, 1)";
            cmd.Parameters.AddWithValue("$s", id);
            var t = cmd.Parameters.AddWithValue("$t", 0L);
            var l = cmd.Parameters.AddWithValue("$l", 0.0);
            foreach (var (age, latency) in new[] { (60_000L, 100.0), (120_000L, 200.0), (240_000L, 300.0), (400_000L, 5000.0) })
            {
                t.Value = now - age; l.Value = latency;
                await cmd.ExecuteNonQueryAsync();
            }
        }
        var job = Host.Services.GetRequiredService<ResponseTimeAggregationJob>();
        Assert.Equal(200, await job.RunAsync(id, CancellationToken.None));
        var stored = await Client.RawAsync("name=response_time_avg_5m&service=payments");
        Assert.Equal(200, stored.Single().GetProperty("value").GetDouble());
        Assert.Equal(id.ToString(), stored[0].GetProperty("labels").GetProperty("service_id").GetString());
        Assert.Null(await job.RunAsync(99_999, CancellationToken.None));
    }

    [Fact]
    public async Task TheHostCollectorWritesMachineAndProcessFiguresAsSeries()
    {
        var samples = Host.Services.GetRequiredService<HostMetricsCollector>().Collect();
        var names = samples.Select(s => s.Name).ToHashSet();
        foreach (var n in new[] { "host_load1", "host_memory_used_bytes", "host_disk_free_bytes", "host_network_receive_bytes_total", "process_resident_memory_bytes", "dotnet_gc_heap_bytes", "dotnet_threadpool_threads" })
            Assert.Contains(n, names);
        Assert.All(samples, s => Assert.Contains(s.Labels, l => l.Key == "host"));
        Assert.Contains(samples, s => s.Name == "host_disk_free_bytes" && s.Labels.Any(l => l.Key == "mount"));

        // The loop (every second here) stores them through the writer; CPU % needs two readings.
        await Eventually.WaitAsync(() => Client.RawAsync("name=host_cpu_usage_percent"), r => r.Count > 0, TimeSpan.FromSeconds(15), "host CPU % to be stored");
        Assert.Contains("monitoring_host_collections_total", await Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task NewSamplesReachTheHubCoalescedAsLatestValuePerSeries()
    {
        var deltas = Channel.CreateBounded<MetricsDelta>(1000);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Host.Server.BaseAddress, MonitoringHubContract.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => Host.Server.CreateHandler();
                o.Headers["X-Api-Key"] = MonitoringHost.BootstrapKey;
            })
            .Build();
        hub.On<MetricsDelta>(nameof(IMonitoringClient.MetricsChanged), d => deltas.Writer.TryWrite(d));
        await hub.StartAsync();
        await hub.InvokeAsync(MonitoringHubContract.JoinMetric, "live_gauge");

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Client.PostSamplesAsync(Enumerable.Range(0, 100).Select(i => new { name = "live_gauge", type = "gauge", value = i, labels = new { card = "a" }, timestamp = MetricsTestSupport.Iso(now - 100 + i) }).ToArray());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var delta = await deltas.Reader.ReadAsync(cts.Token);
            var point = delta.Points.FirstOrDefault(p => p.Name == "live_gauge");
            if (point is null) continue;
            // One point per series per message: the newest of the hundred.
            Assert.Single(delta.Points, p => p.Name == "live_gauge");
            Assert.Equal(99, point.Value);
            Assert.Equal("a", point.Labels["card"]);
            break;
        }
    }
}
