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
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: cancel and clean up (child process, temp dir). A second one ends the process.
    if (cts.IsCancellationRequested) return;
    e.Cancel = true;
    Console.Error.WriteLine("cancelling…");
    cts.Cancel();
};

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
