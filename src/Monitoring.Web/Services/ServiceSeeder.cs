using System.Text.Json;
using Microsoft.Extensions.Options;
using Monitoring.Core.Services;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Services;

/// <summary>
/// Config as code: services from <c>Monitoring:ServicesFile</c> (a services.json array) and the
/// <c>Monitoring:Services</c> section are registered at start. They are matched by name: an existing
/// service of that name is updated, a new one created. Invalid entries stop the start with the
/// field that is wrong, rather than silently monitoring less than was asked.
/// </summary>
public static class ServiceSeeder
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        var inputs = new List<(string Source, ServiceInput Input)>();
        if (!string.IsNullOrWhiteSpace(options.ServicesFile))
        {
            var path = Path.GetFullPath(options.ServicesFile);
            if (!File.Exists(path)) throw new InvalidOperationException($"Monitoring:ServicesFile '{path}' does not exist.");
            await using var stream = File.OpenRead(path);
            var fromFile = await JsonSerializer.DeserializeAsync<List<ServiceInput>>(stream, s_json, cancellationToken) ?? [];
            inputs.AddRange(fromFile.Select((s, i) => ($"{path}[{i}]", s)));
        }
        inputs.AddRange(options.Services.Select((s, i) => ($"Monitoring:Services:{i}", s)));
        if (inputs.Count == 0) return;

        var registry = services.GetRequiredService<ServiceRegistry>();
        var catalog = services.GetRequiredService<ServiceCatalog>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServiceSeeder));
        foreach (var (source, input) in inputs)
        {
            var existing = registry.All.FirstOrDefault(s => string.Equals(s.Name, input.Name?.Trim(), StringComparison.Ordinal));
            var (definition, errors) = ServiceValidator.Validate(input, existing);
            if (definition is null)
                throw new InvalidOperationException($"Seeded service {source} is invalid: " +
                    string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            if (existing is null) await catalog.CreateAsync(definition, cancellationToken);
            else if (!SameConfiguration(existing, definition)) await catalog.UpdateAsync(definition, cancellationToken);
            logger.LogInformation("Seeded service {Name} from {Source}", definition.Name, source);
        }
    }

    private static bool SameConfiguration(ServiceDefinition a, ServiceDefinition b) =>
        (a with { Version = 0, Conditions = [], Tags = [], DependsOn = [] }) == (b with { Version = 0, Conditions = [], Tags = [], DependsOn = [], HeartbeatToken = a.HeartbeatToken, CreatedAtMs = a.CreatedAtMs })
        && a.Conditions.SequenceEqual(b.Conditions) && a.Tags.SequenceEqual(b.Tags) && a.DependsOn.SequenceEqual(b.DependsOn);
}
