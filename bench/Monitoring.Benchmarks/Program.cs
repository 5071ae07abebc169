using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Monitoring.Benchmarks -- --filter '*'` runs all;
// every class carries [ShortRunJob], so a full run takes a couple of minutes, not an hour.
BenchmarkSwitcher.FromAssembly(typeof(Monitoring.Benchmarks.ScheduleMathBenchmarks).Assembly).Run(args);
