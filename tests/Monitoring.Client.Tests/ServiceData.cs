using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests;

/// <summary>Builds service rows for tests.</summary>
public static class ServiceData
{
    public static readonly DateTimeOffset CheckedAt = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static ServiceStatusDto Service(long id, string name, string status = "healthy", double? latencyMs = 42, double? uptime = 99.5) =>
        new(id, name, "http", $"https://{name}.example.test/health", status, CheckedAt, latencyMs, uptime, null, [], true);

    public static ServicesSnapshot Snapshot(long sequence, params ServiceStatusDto[] services) => new(sequence, services);

    public static ServiceDelta Delta(long sequence, params ServiceStatusDto[] changed) => new(sequence, changed, []);
}
