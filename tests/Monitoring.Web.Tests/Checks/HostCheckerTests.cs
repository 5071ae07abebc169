using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class HostCheckerTests : IDisposable
{
    private readonly string _memInfo = Path.Combine(Path.GetTempPath(), $"meminfo-{Guid.NewGuid():N}");

    private async Task<CheckOutcome> CheckMemory(long totalKb, long availableKb, params CheckCondition[] conditions)
    {
        await File.WriteAllTextAsync(_memInfo, $"MemTotal:       {totalKb} kB\nMemFree:          1234 kB\nMemAvailable:   {availableKb} kB\nBuffers:  1 kB\n");
        return await new HostChecker(_memInfo).CheckAsync(Service(ServiceType.Host, "memory", conditions), TestTimeout());
    }

    [Fact]
    public async Task Memory_default_limit_is_ninety_percent_used()
    {
        var fine = await CheckMemory(1_000_000, 500_000);
        Assert.Equal(ServiceStatus.Healthy, fine.Status);
        Assert.StartsWith("Memory used 50 %", fine.Message);

        var full = await CheckMemory(1_000_000, 50_000);
        Assert.Equal(ServiceStatus.Unhealthy, full.Status);
        Assert.StartsWith("Memory used 95 %", full.Message);
    }

    [Fact]
    public async Task Memory_condition_decides()
    {
        Assert.Equal(ServiceStatus.Healthy, (await CheckMemory(1_000_000, 50_000, Condition("memoryUsedPercent", "99"))).Status);
        var strict = await CheckMemory(1_000_000, 500_000, Condition("memoryUsedPercent", "40", "<"));
        Assert.Equal(ServiceStatus.Unhealthy, strict.Status);
        Assert.Contains("memoryUsedPercent < 40", strict.Message);
    }

    [Fact]
    public async Task Unreadable_meminfo_is_unhealthy()
    {
        await File.WriteAllTextAsync(_memInfo, "garbage\n");
        var outcome = await new HostChecker(_memInfo).CheckAsync(Service(ServiceType.Host, "memory"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("unavailable", outcome.Message);
    }

    [Fact]
    public async Task This_machine_memory_is_read()
    {
        var outcome = await new HostChecker().CheckAsync(Service(ServiceType.Host, "memory", Condition("memoryUsedPercent", "100", "<=")), TestTimeout());
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Matches(@"^Memory used [\d.]+ % of [\d.]+ GiB\.$", outcome.Message);
    }

    [Fact]
    public async Task Disk_condition_decides()
    {
        var checker = new HostChecker();
        var ok = await checker.CheckAsync(Service(ServiceType.Host, "disk:/", Condition("diskFreePercent", "0", ">=")), TestTimeout());
        Assert.Equal(ServiceStatus.Healthy, ok.Status);
        Assert.Matches(@"^Disk / free [\d.]+ % of [\d.]+ GiB\.$", ok.Message);

        var impossible = await checker.CheckAsync(Service(ServiceType.Host, "disk:/", Condition("diskFreePercent", "100", ">")), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, impossible.Status);
        Assert.Contains("diskFreePercent > 100", impossible.Message);
    }

    [Fact]
    public async Task Missing_disk_is_unhealthy()
    {
        var outcome = await new HostChecker().CheckAsync(Service(ServiceType.Host, "disk:/no/such/mount/here"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
    }

    public void Dispose() => File.Delete(_memInfo);
}
