using System.Globalization;
using System.Runtime.InteropServices;

namespace Monitoring.LoadGen;

/// <summary>One sample of a process and of the whole machine, read from /proc.</summary>
public readonly record struct ProcSample(double ElapsedSeconds, double CpuPercent, long RssBytes, int Threads, double MachineBusyPercent, double SelfCpuPercent);

/// <summary>
/// Samples CPU % and RSS of a process from /proc/&lt;pid&gt;/stat and /proc/&lt;pid&gt;/status, plus
/// whole-machine busy % from /proc/stat (the machine is shared, so that figure says how much of
/// the 2 cores someone else took) and this tool's own CPU (the target server lives here).
/// CPU % is of one core, like top: 200% means both cores of a 2-core machine.
/// </summary>
public sealed class ProcSampler
{
    private static readonly double s_ticksPerSecond = ClockTicks();
    private readonly int _pid;
    private readonly int _selfPid = Environment.ProcessId;
    private long _lastTicks = -1, _lastSelfTicks = -1, _lastBusy = -1, _lastTotal = -1;
    private long _lastTimestamp;

    public ProcSampler(int pid) => _pid = pid;

    public static bool Supported => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>Reads counters; returns null on the first call (a rate needs two points) or if the process is gone.</summary>
    public ProcSample? Sample(double elapsedSeconds)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var ticks = CpuTicks(_pid);
        var selfTicks = CpuTicks(_selfPid);
        var (busy, total) = MachineTicks();
        if (ticks < 0) return null;
        var (rss, threads) = Status(_pid);

        ProcSample? sample = null;
        if (_lastTicks >= 0)
        {
            var wall = (now - _lastTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency;
            var cpu = wall > 0 ? (ticks - _lastTicks) / s_ticksPerSecond / wall * 100 : 0;
            var self = wall > 0 && selfTicks >= 0 ? (selfTicks - _lastSelfTicks) / s_ticksPerSecond / wall * 100 : 0;
            var machine = total > _lastTotal ? 100.0 * (busy - _lastBusy) / (total - _lastTotal) : 0;
            sample = new ProcSample(elapsedSeconds, cpu, rss, threads, machine, self);
        }
        _lastTicks = ticks;
        _lastSelfTicks = selfTicks;
        _lastBusy = busy;
        _lastTotal = total;
        _lastTimestamp = now;
        return sample;
    }

    /// <summary>utime + stime (fields 14 and 15) in clock ticks; -1 if the process is gone.</summary>
    internal static long CpuTicks(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
        return ParseStatTicks(text);
    }

    internal static long ParseStatTicks(string stat)
    {
        // The command name (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return -1;
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        return long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
    }

    private static (long RssBytes, int Threads) Status(int pid)
    {
        long rss = 0;
        var threads = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return (rss, threads);
    }

    /// <summary>Aggregate "cpu" line of /proc/stat: busy = total − idle − iowait.</summary>
    private static (long Busy, long Total) MachineTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return (0, 0);
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long total = 0;
            // Fields: user nice system idle iowait irq softirq steal (guest/guest_nice are already in user/nice).
            for (var i = 1; i < Math.Min(parts.Length, 9); i++) total += long.Parse(parts[i], CultureInfo.InvariantCulture);
            var idle = long.Parse(parts[4], CultureInfo.InvariantCulture) + (parts.Length > 5 ? long.Parse(parts[5], CultureInfo.InvariantCulture) : 0);
            return (total - idle, total);
        }
        catch (IOException) { return (0, 0); }
    }

    private static double ClockTicks()
    {
        // USER_HZ is 100 on practically every Linux; ask libc anyway rather than assume.
        try
        {
            var hz = SysConf(ScClkTck);
            return hz > 0 ? hz : 100;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    private const int ScClkTck = 2;

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
