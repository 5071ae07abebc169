using System.Globalization;
using System.Runtime.InteropServices;

namespace Monitoring.LoadGen;

/// <summary>One sample of a process and of the whole machine, read from /proc.</summary>
/// <param name="GcCpuMsPerSecond">CPU time of the runtime's GC threads (".NET Server GC", ".NET BGC") per second of wall time.</param>
/// <param name="CpuPressurePercent">Share of wall time some runnable task on the machine waited for a core (/proc/pressure/cpu "some"); -1 if unavailable.</param>
/// <param name="RunQueueWaitMsPerSecond">Time the server's threads were runnable but waiting for a core, summed over threads, per second.</param>
public readonly record struct ProcSample(double ElapsedSeconds, double CpuPercent, long RssBytes, int Threads, double MachineBusyPercent, double SelfCpuPercent,
    double GcCpuMsPerSecond, double RunQueueWaitMsPerSecond, double CpuPressurePercent);

/// <summary>
/// Samples CPU % and RSS of a process from /proc/&lt;pid&gt;/stat and /proc/&lt;pid&gt;/status, plus
/// whole-machine busy % from /proc/stat (the machine is shared, so that figure says how much of
/// the 2 cores someone else took) and this tool's own CPU (the target server lives here).
/// CPU % is of one core, like top: 200% means both cores of a 2-core machine.
/// Per thread it also reads /proc/&lt;pid&gt;/task/*/schedstat (ns on-CPU and ns waiting in the run
/// queue): the GC threads' share tells GC work apart from other work (with server GC, collections
/// run on the GC threads), and run-queue wait tells "the process stalled because the machine was busy"
/// apart from "the process stalled on its own" (GC suspension, locks).
/// </summary>
public sealed class ProcSampler
{
    private static readonly double s_ticksPerSecond = ClockTicks();
    private readonly int _pid;
    private readonly int _selfPid = Environment.ProcessId;
    private long _lastTicks = -1, _lastSelfTicks = -1, _lastBusy = -1, _lastTotal = -1;
    private long _lastTimestamp;
    private long _lastPressureUs = -1;
    private readonly Dictionary<int, (long OnCpuNs, long WaitNs)> _lastThreads = [];

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
        var (gcNs, waitNs) = ThreadDeltas();
        var pressureUs = CpuPressureMicros();

        ProcSample? sample = null;
        if (_lastTicks >= 0)
        {
            var wall = (now - _lastTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency;
            var cpu = wall > 0 ? (ticks - _lastTicks) / s_ticksPerSecond / wall * 100 : 0;
            var self = wall > 0 && selfTicks >= 0 ? (selfTicks - _lastSelfTicks) / s_ticksPerSecond / wall * 100 : 0;
            var machine = total > _lastTotal ? 100.0 * (busy - _lastBusy) / (total - _lastTotal) : 0;
            var gc = wall > 0 ? gcNs / 1e6 / wall : 0;
            var wait = wall > 0 ? waitNs / 1e6 / wall : 0;
            var pressure = wall > 0 && pressureUs >= 0 && _lastPressureUs >= 0 ? (pressureUs - _lastPressureUs) / 1e4 / wall : -1;
            sample = new ProcSample(elapsedSeconds, cpu, rss, threads, machine, self, gc, wait, pressure);
        }
        _lastPressureUs = pressureUs;
        _lastTicks = ticks;
        _lastSelfTicks = selfTicks;
        _lastBusy = busy;
        _lastTotal = total;
        _lastTimestamp = now;
        return sample;
    }

    /// <summary>
    /// Sums, since the previous call, the on-CPU time of GC threads and the run-queue wait of all
    /// threads. A thread seen for the first time only sets its baseline (its past is not this second's).
    /// </summary>
    private (long GcOnCpuNs, long WaitNs) ThreadDeltas()
    {
        long gc = 0, wait = 0;
        var seen = new HashSet<int>();
        IEnumerable<string> tasks;
        try { tasks = Directory.EnumerateDirectories($"/proc/{_pid}/task"); }
        catch (IOException) { return (0, 0); }
        catch (UnauthorizedAccessException) { return (0, 0); }
        foreach (var dir in tasks)
        {
            if (!int.TryParse(Path.GetFileName(dir), out var tid)) continue;
            string comm, schedstat;
            try
            {
                comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                schedstat = File.ReadAllText(Path.Combine(dir, "schedstat"));
            }
            catch (IOException) { continue; } // the thread ended between listing and reading
            catch (UnauthorizedAccessException) { continue; }
            var parts = schedstat.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            var onCpu = long.Parse(parts[0], CultureInfo.InvariantCulture);
            var waitNs = long.Parse(parts[1], CultureInfo.InvariantCulture);
            seen.Add(tid);
            if (_lastThreads.TryGetValue(tid, out var last))
            {
                wait += waitNs - last.WaitNs;
                if (comm.StartsWith(".NET Server GC", StringComparison.Ordinal) || comm.StartsWith(".NET BGC", StringComparison.Ordinal))
                    gc += onCpu - last.OnCpuNs;
            }
            _lastThreads[tid] = (onCpu, waitNs);
        }
        foreach (var gone in _lastThreads.Keys.Where(k => !seen.Contains(k)).ToList()) _lastThreads.Remove(gone);
        return (gc, wait);
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

    /// <summary>
    /// The "some total=" counter (µs) of /proc/pressure/cpu. Unlike /proc/stat, which is sampled at
    /// the scheduler tick and under-counts many short bursts (exactly this workload), it is exact.
    /// </summary>
    private static long CpuPressureMicros()
    {
        try
        {
            using var reader = new StreamReader("/proc/pressure/cpu");
            var line = reader.ReadLine();
            var at = line?.IndexOf("total=", StringComparison.Ordinal) ?? -1;
            return at < 0 ? -1 : long.Parse(line.AsSpan(at + 6).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
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
