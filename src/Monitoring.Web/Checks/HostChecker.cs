using System.Diagnostics;
using System.Globalization;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// Resources of the machine the server runs on. Target <c>memory</c>: used % from
/// /proc/meminfo (MemTotal − MemAvailable, so page cache counts as free). Target
/// <c>disk:/mount</c>: free % (space available to unprivileged users) of the file system
/// holding that path. <c>memoryUsedPercent</c> / <c>diskFreePercent</c> conditions decide (default
/// operators <c>&lt;=</c> and <c>&gt;=</c>); without one, memory used over
/// <see cref="DefaultMaxMemoryUsedPercent"/> % or disk free under <see cref="DefaultMinDiskFreePercent"/> % is unhealthy.
/// </summary>
public sealed class HostChecker : IChecker
{
    public const double DefaultMaxMemoryUsedPercent = 90;
    public const double DefaultMinDiskFreePercent = 10;
    private readonly string _memInfoPath;

    public HostChecker() : this("/proc/meminfo") { }

    /// <summary>Tests point this at a fixture file.</summary>
    internal HostChecker(string memInfoPath) => _memInfoPath = memInfoPath;

    public ServiceType Type => ServiceType.Host;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var target = service.Target.Trim();
        if (target == "memory") return await CheckMemoryAsync(service, started, cancellationToken);
        if (target.StartsWith("disk:", StringComparison.Ordinal) && target.Length > 5) return CheckDisk(service, target[5..], started);
        return CheckOutcome.Down(0, $"Target '{service.Target}' is not 'memory' or 'disk:/mount'.");
    }

    private async Task<CheckOutcome> CheckMemoryAsync(ServiceDefinition service, long started, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(_memInfoPath, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CheckOutcome.Down(Elapsed(started), $"Memory figures unavailable: cannot read {_memInfoPath} ({ex.Message}).");
        }
        if (!TryParseMemInfo(text, out var totalKb, out var availableKb) || totalKb <= 0)
            return CheckOutcome.Down(Elapsed(started), $"Memory figures unavailable: no MemTotal/MemAvailable in {_memInfoPath}.");

        var usedPercent = 100.0 * (totalKb - availableKb) / totalKb;
        var figure = $"Memory used {ConditionRules.Format(usedPercent)} % of {ConditionRules.Format(totalKb / 1024.0 / 1024.0)} GiB";
        return Decide(service, ConditionRules.MemoryUsedPercent, usedPercent, "<=", DefaultMaxMemoryUsedPercent, figure, Elapsed(started));
    }

    private static CheckOutcome CheckDisk(ServiceDefinition service, string path, long started)
    {
        double freePercent, totalGiB;
        try
        {
            var drive = new DriveInfo(path);
            if (!drive.IsReady || drive.TotalSize <= 0) return CheckOutcome.Down(Elapsed(started), $"Disk '{path}' is not mounted or not ready.");
            freePercent = 100.0 * drive.AvailableFreeSpace / drive.TotalSize;
            totalGiB = drive.TotalSize / 1024.0 / 1024.0 / 1024.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return CheckOutcome.Down(Elapsed(started), $"Disk '{path}' unavailable: {ex.Message}");
        }
        var figure = $"Disk {path} free {ConditionRules.Format(freePercent)} % of {ConditionRules.Format(totalGiB)} GiB";
        return Decide(service, ConditionRules.DiskFreePercent, freePercent, ">=", DefaultMinDiskFreePercent, figure, Elapsed(started));
    }

    private static CheckOutcome Decide(ServiceDefinition service, string kind, double actual, string defaultOp, double defaultLimit, string figure, double latency)
    {
        var conditions = service.OfKind(kind).ToList();
        if (conditions.Count == 0)
        {
            return CheckCondition.Compare(actual, defaultOp, defaultLimit)
                ? CheckOutcome.Up(latency, $"{figure}.")
                : CheckOutcome.Down(latency, $"{figure}; limit {defaultOp} {ConditionRules.Format(defaultLimit)} %.");
        }
        return conditions.FirstOrDefault(c => !c.Holds(actual, defaultOp)) is { } failed
            ? CheckOutcome.Down(latency, $"{figure}; condition failed: {failed.Describe(defaultOp)}.")
            : CheckOutcome.Up(latency, $"{figure}.");
    }

    internal static bool TryParseMemInfo(string text, out long totalKb, out long availableKb)
    {
        totalKb = availableKb = -1;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("MemTotal:")) totalKb = ParseKb(line["MemTotal:".Length..]);
            else if (line.StartsWith("MemAvailable:")) availableKb = ParseKb(line["MemAvailable:".Length..]);
        }
        return totalKb >= 0 && availableKb >= 0;

        static long ParseKb(ReadOnlySpan<char> rest)
        {
            rest = rest.Trim();
            if (rest.EndsWith("kB")) rest = rest[..^2].TrimEnd();
            return long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : -1;
        }
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
