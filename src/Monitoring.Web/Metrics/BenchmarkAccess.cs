using System.Runtime.CompilerServices;

// bench/Monitoring.Benchmarks drives the sample writer's insert path (SampleCommands) directly.
[assembly: InternalsVisibleTo("Monitoring.Benchmarks")]
