using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Web.Checks;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Checks;

public sealed class RetentionTests
{
    [Fact]
    public async Task RetentionDeletesExactlyWhatIsOlderThanTheWindow()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path, new Dictionary<string, string?> { ["Monitoring:Retention:CheckResultsDays"] = "30" });
        var client = host.CreateClient();
        var id = await client.CreateServiceAsync(new { name = "old", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100, enabled = false });

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var day = 86_400_000L;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "monitoring.db")}"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO check_results (ServiceId, DueAtMs, StartedAtMs, Status, LatencyMs, Attempts) VALUES ($s, $t, $t, 1, 1, 1)";
            var sid = cmd.Parameters.AddWithValue("$s", id);
            var t = cmd.Parameters.AddWithValue("$t", 0L);
            // 12,000 rows older than 30 days (more than two delete batches) and 3 inside the window.
            for (var i = 0; i < 12_000; i++) { t.Value = now - 31 * day - i * 1000L; await cmd.ExecuteNonQueryAsync(); }
            foreach (var age in new[] { 29 * day, day, 1000L }) { t.Value = now - age; await cmd.ExecuteNonQueryAsync(); }
        }

        var job = host.Services.GetRequiredService<CheckResultRetentionJob>();
        Assert.Equal(12_000, await job.RunAsync(CancellationToken.None));
        Assert.Equal(3, (await client.HistoryAsync(id)).Count);
        Assert.Equal(0, await job.RunAsync(CancellationToken.None)); // idempotent
    }
}
