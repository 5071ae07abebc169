using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// Every <c>Monitoring:Host:IntervalSeconds</c> reads this machine's CPU % (from /proc/stat
/// deltas), load averages, memory, disk used/free per mount, network bytes per interface, and
/// this process's CPU, memory, GC and thread-pool figures, and writes them through the sample
/// writer as ordinary series labelled <c>host</c> (and <c>mount</c>, <c>iface</c>). Off Linux,
/// the /proc figures are skipped and the process figures remain.
/// </summary>
public sealed partial class HostMetricsCollector(
    MetricSampleWriter writer, IOptions<MonitoringOptions> options, AppMetrics metrics, TimeProvider time, ILogger<HostMetricsCollector> logger) : BackgroundService
{
    private const int MaxMounts = 64;
    private const int MaxInterfaces = 64;
    private (long Busy, long Total)? _lastCpu;
    private TimeSpan? _lastProcessCpu;
    private long _lastProcessCpuAt;
    private readonly string _host = string.IsNullOrWhiteSpace(options.Value.Host.HostLabel) ? Environment.MachineName : options.Value.Host.HostLabel!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Host.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Host.IntervalSeconds), time);
        do
        {
            try
            {
                var samples = Collect();
                var ok = writer.TryEnqueueUnacknowledged([.. samples]);
                metrics.HostCollected(ok);
                if (!ok) LogDropped(samples.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.HostCollected(false);
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One reading of every figure. For testing and for the loop.</summary>
    public List<ValidSample> Collect()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var samples = new List<ValidSample>(64);
        void Add(string name, MetricType type, double value, params (string Key, string Value)[] extra)
        {
            if (!double.IsFinite(value)) return;
            var labels = new Dictionary<string, string> { ["host"] = _host };
            foreach (var (k, v) in extra) labels[k] = v;
            var sorted = SeriesKey.SortLabels(labels);
            samples.Add(new ValidSample(SeriesKey.Build(name, "", sorted), name, type, "", sorted, now, value));
        }

        if (OperatingSystem.IsLinux())
        {
            ReadCpu(Add);
            ReadLoad(Add);
            ReadMemory(Add);
            ReadNetwork(Add);
        }
        ReadDisks(Add);
        ReadProcess(Add, now);
        return samples;
    }

    private delegate void Adder(string name, MetricType type, double value, params (string Key, string Value)[] extra);

    private void ReadCpu(Adder add)
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null) return;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        var busy = total - idle;
        if (_lastCpu is { } last && total > last.Total)
            add("host_cpu_usage_percent", MetricType.Gauge, 100.0 * (busy - last.Busy) / (total - last.Total));
        _lastCpu = (busy, total);
    }

    private static void ReadLoad(Adder add)
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        add("host_load1", MetricType.Gauge, double.Parse(parts[0], CultureInfo.InvariantCulture));
        add("host_load5", MetricType.Gauge, double.Parse(parts[1], CultureInfo.InvariantCulture));
        add("host_load15", MetricType.Gauge, double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static void ReadMemory(Adder add)
    {
        var info = new Dictionary<string, long>();
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var rest = line[(colon + 1)..].Trim().Split(' ')[0];
            if (long.TryParse(rest, CultureInfo.InvariantCulture, out var kb)) info[line[..colon]] = kb * 1024;
        }
        if (!info.TryGetValue("MemTotal", out var total)) return;
        var available = info.GetValueOrDefault("MemAvailable", info.GetValueOrDefault("MemFree"));
        add("host_memory_total_bytes", MetricType.Gauge, total);
        add("host_memory_available_bytes", MetricType.Gauge, available);
        add("host_memory_used_bytes", MetricType.Gauge, total - available);
        add("host_memory_used_percent", MetricType.Gauge, total > 0 ? 100.0 * (total - available) / total : 0);
    }

    private static void ReadNetwork(Adder add)
    {
        // Inter-|   Receive                                                |  Transmit
        //  face |bytes    packets errs drop fifo frame compressed multicast|bytes ...
        var n = 0;
        foreach (var line in File.ReadLines("/proc/net/dev").Skip(2))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || ++n > MaxInterfaces) continue;
            var iface = line[..colon].Trim();
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9) continue;
            add("host_network_receive_bytes_total", MetricType.Counter, double.Parse(f[0], CultureInfo.InvariantCulture), ("iface", iface));
            add("host_network_transmit_bytes_total", MetricType.Counter, double.Parse(f[8], CultureInfo.InvariantCulture), ("iface", iface));
        }
    }

    private static void ReadDisks(Adder add)
    {
        var n = 0;
        foreach (var drive in DriveInfo.GetDrives())
        {
            try
            {
                if (!drive.IsReady || drive.TotalSize <= 0) continue;
                if (drive.DriveType is not (DriveType.Fixed or DriveType.Removable or DriveType.Network)) continue;
                if (++n > MaxMounts) break;
                var mount = drive.RootDirectory.FullName;
                add("host_disk_total_bytes", MetricType.Gauge, drive.TotalSize, ("mount", mount));
                add("host_disk_free_bytes", MetricType.Gauge, drive.AvailableFreeSpace, ("mount", mount));
                add("host_disk_used_bytes", MetricType.Gauge, drive.TotalSize - drive.TotalFreeSpace, ("mount", mount));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A mount that cannot be read is skipped, not fatal.
            }
        }
    }

    private void ReadProcess(Adder add, long nowMs)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        if (_lastProcessCpu is { } lastCpu && nowMs > _lastProcessCpuAt)
            add("process_cpu_usage_percent", MetricType.Gauge, 100.0 * (cpu - lastCpu).TotalMilliseconds / (nowMs - _lastProcessCpuAt) / Environment.ProcessorCount);
        _lastProcessCpu = cpu;
        _lastProcessCpuAt = nowMs;
        add("process_cpu_seconds_total", MetricType.Counter, cpu.TotalSeconds);
        add("process_resident_memory_bytes", MetricType.Gauge, process.WorkingSet64);
        add("process_private_memory_bytes", MetricType.Gauge, process.PrivateMemorySize64);
        add("process_threads", MetricType.Gauge, process.Threads.Count);
        add("dotnet_gc_heap_bytes", MetricType.Gauge, GC.GetTotalMemory(false));
        add("dotnet_gc_allocated_bytes_total", MetricType.Counter, GC.GetTotalAllocatedBytes());
        add("dotnet_gc_pause_seconds_total", MetricType.Counter, GC.GetTotalPauseDuration().TotalSeconds);
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
            add("dotnet_gc_collections_total", MetricType.Counter, GC.CollectionCount(gen), ("generation", gen.ToString(CultureInfo.InvariantCulture)));
        add("dotnet_threadpool_threads", MetricType.Gauge, ThreadPool.ThreadCount);
        add("dotnet_threadpool_queue_length", MetricType.Gauge, ThreadPool.PendingWorkItemCount);
        add("dotnet_threadpool_completed_items_total", MetricType.Counter, ThreadPool.CompletedWorkItemCount);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host metrics: {Count} samples dropped, the metric writer is behind")]
    private partial void LogDropped(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collecting host metrics failed")]
    private partial void LogFailed(Exception ex);
}
