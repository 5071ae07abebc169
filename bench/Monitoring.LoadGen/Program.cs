using System.Runtime.InteropServices;
using Monitoring.LoadGen;

LoadGenOptions options;
try
{
    options = LoadGenOptions.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(LoadGenOptions.Usage);
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadGenOptions.Usage);
    return 2;
}

using var cts = new CancellationTokenSource();
// Ctrl+C (SIGINT), SIGTERM and SIGHUP all cancel the run so the finally blocks kill the child
// server and delete its temp directory; without this, SIGTERM would exit and orphan the child.
// A second signal is not intercepted and ends the process at once.
void OnSignal(PosixSignalContext context)
{
    if (cts.IsCancellationRequested) return;
    context.Cancel = true;
    Console.Error.WriteLine($"{context.Signal}: cancelling…");
    cts.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

try
{
    var report = await new LoadRun(options, Console.Out).RunAsync(cts.Token);
    Console.WriteLine(report.ToText());
    if (options.JsonPath is { } path)
    {
        await File.WriteAllTextAsync(path, report.ToJson());
        Console.WriteLine($"JSON report: {path}");
    }
    return 0;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled.");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"load run failed: {ex.Message}");
    return 1;
}
