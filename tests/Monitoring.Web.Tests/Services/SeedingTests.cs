using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Services;

public sealed class SeedingTests
{
    [Fact]
    public async Task ServicesJsonAndConfigSectionAreRegisteredAtStart_AndReseedingUpdatesByName()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "services.json");
        await File.WriteAllTextAsync(file, """
            [
              // comments are allowed
              { "name": "from-file", "type": "tcp", "target": "127.0.0.1:9", "intervalSeconds": 60, "tags": ["wall"] },
            ]
            """);
        var settings = new Dictionary<string, string?>
        {
            ["Monitoring:ServicesFile"] = file,
            ["Monitoring:Services:0:Name"] = "from-config",
            ["Monitoring:Services:0:Type"] = "http",
            ["Monitoring:Services:0:Target"] = "http://127.0.0.1:9/",
            ["Monitoring:Services:0:IntervalSeconds"] = "30",
        };
        await using (var host = new MonitoringHost(dir.Path, settings))
        {
            var list = (await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/services")).EnumerateArray().ToList();
            Assert.Equal(["from-file", "from-config"], list.Select(s => s.GetProperty("name").GetString()!).ToArray());
            Assert.Equal("wall", list[0].GetProperty("tags")[0].GetString());
        }

        // Same names again with a changed interval: updated in place, not duplicated.
        settings["Monitoring:Services:0:IntervalSeconds"] = "45";
        await using (var host = new MonitoringHost(dir.Path, settings))
        {
            var list = (await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/services")).EnumerateArray().ToList();
            Assert.Equal(2, list.Count);
            Assert.Equal(45, list.Single(s => s.GetProperty("name").GetString() == "from-config").GetProperty("intervalSeconds").GetInt32());
        }
    }

    [Fact]
    public async Task AnInvalidSeededServiceStopsTheStartNamingTheField()
    {
        using var dir = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Monitoring:Services:0:Name"] = "broken",
            ["Monitoring:Services:0:Type"] = "http",
            ["Monitoring:Services:0:Target"] = "not a url",
        };
        await using var host = new MonitoringHost(dir.Path, settings);
        var ex = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("target", ex.ToString());
    }
}
