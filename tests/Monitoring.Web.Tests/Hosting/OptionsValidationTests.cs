using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Monitoring:Checks:Concurrency", "0", "Concurrency")]
    [InlineData("Monitoring:Writer:QueueCapacity", "1", "QueueCapacity")]
    [InlineData("Monitoring:Retention:CheckResultsDays", "0", "CheckResultsDays")]
    public async Task InvalidOptionsStopTheStartNamingTheKey(string key, string value, string named)
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path, new Dictionary<string, string?> { [key] = value });
        var ex = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains(named, ex.ToString());
    }
}
