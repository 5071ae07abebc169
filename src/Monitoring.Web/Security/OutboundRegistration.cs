using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

public static class OutboundRegistration
{
    /// <summary>
    /// Registers the one <see cref="OutboundPolicy"/> built from <c>Monitoring:Outbound</c> and the
    /// start-up validation of its ranges. Safe to call from every feature that connects out.
    /// </summary>
    public static IServiceCollection AddOutboundPolicy(this IServiceCollection services, MonitoringOptions options)
    {
        services.TryAddSingleton(_ => new OutboundPolicy(options.Outbound));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitoringOptions>, OutboundOptionsValidator>());
        return services;
    }
}

/// <summary>Rejects a range list entry that is not an address or CIDR, naming its key (<c>Monitoring:Outbound:BlockedRanges:0</c>).</summary>
public sealed class OutboundOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var failures = new List<string>();
        Check(options.Outbound.BlockedRanges, nameof(OutboundOptions.BlockedRanges), failures);
        Check(options.Outbound.AllowedRanges, nameof(OutboundOptions.AllowedRanges), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> ranges, string key, List<string> failures)
    {
        for (var i = 0; i < ranges.Count; i++)
            if (!OutboundCidr.TryParse(ranges[i], out _))
                failures.Add($"{MonitoringOptions.Section}:Outbound:{key}:{i}: '{ranges[i]}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, fd00::/8).");
    }
}
