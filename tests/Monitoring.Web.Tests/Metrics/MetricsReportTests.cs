using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

public sealed class MetricsReportTests : HostTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" };

    [Fact]
    public async Task TheReportCountsMetricSeries()
    {
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>("/api/v1/report")).GetProperty("metricsCount").GetInt64());

        // Two series (labels differ); a second sample of a known series adds none.
        await Client.PostSamplesAsync(new object[]
        {
            new { name = "queue_depth", type = "gauge", value = 1, labels = new { env = "prod" } },
            new { name = "queue_depth", type = "gauge", value = 2, labels = new { env = "dev" } },
        });
        await Client.PostSamplesAsync(new { name = "queue_depth", type = "gauge", value = 3, labels = new { env = "prod" } });

        Assert.Equal(2, (await Client.GetFromJsonAsync<JsonElement>("/api/v1/report")).GetProperty("metricsCount").GetInt64());
        Assert.Equal(2, await Host.ScalarAsync("SELECT COUNT(*) FROM metric_series"));
    }
}
