namespace Monitoring.E2E.Tests;

/// <summary>Test classes that run alone, after the parallel ones (xUnit runs non-parallel collections last).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
