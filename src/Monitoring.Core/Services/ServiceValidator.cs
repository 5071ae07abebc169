using System.Globalization;
using System.Net;

namespace Monitoring.Core.Services;

/// <summary>
/// Validates a <see cref="ServiceInput"/> and turns it into a <see cref="ServiceDefinition"/>.
/// Errors are keyed by the camelCase field name so the API can answer with a ProblemDetails
/// that names the field, and the browser can show the same messages before sending.
/// </summary>
public static class ServiceValidator
{
    public const int MinIntervalSeconds = 1;
    public const int MaxIntervalSeconds = 86_400;
    public const int MaxNameLength = 200;
    public const int MaxRetries = 10;

    public static (ServiceDefinition? Definition, Dictionary<string, string[]> Errors) Validate(ServiceInput input, ServiceDefinition? existing = null)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out var list) ? [.. list, message] : [message];

        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) Add("name", "Name is required.");
        else if (name.Length > MaxNameLength) Add("name", $"Name must be at most {MaxNameLength} characters.");

        var type = ServiceType.Http;
        if (input.Type is null) Add("type", $"Type is required; one of {EnumNames.Allowed<ServiceType>()}.");
        else if (!EnumNames.TryParseApi(input.Type, out type)) Add("type", $"Unknown type '{input.Type}'; one of {EnumNames.Allowed<ServiceType>()}.");

        var interval = input.IntervalSeconds ?? existing?.IntervalSeconds ?? 60;
        if (interval < MinIntervalSeconds || interval > MaxIntervalSeconds)
            Add("intervalSeconds", $"Interval must be between {MinIntervalSeconds} and {MaxIntervalSeconds} seconds.");

        var timeout = input.TimeoutMs ?? existing?.TimeoutMs ?? Math.Min(5000, interval * 1000 / 2);
        if (timeout < 1) Add("timeoutMs", "Timeout must be positive.");
        else if (timeout >= interval * 1000L) Add("timeoutMs", "Timeout must be shorter than the interval.");

        var retries = input.Retries ?? existing?.Retries ?? 0;
        if (retries < 0 || retries > MaxRetries) Add("retries", $"Retries must be between 0 and {MaxRetries}.");

        var threshold = input.ThresholdMs ?? existing?.ThresholdMs;
        if (threshold is < 1) Add("thresholdMs", "Threshold must be positive.");

        var criticality = existing?.Criticality ?? Criticality.Medium;
        if (input.Criticality is not null && !EnumNames.TryParseApi(input.Criticality, out criticality))
            Add("criticality", $"Unknown criticality '{input.Criticality}'; one of {EnumNames.Allowed<Criticality>()}.");

        var failureThreshold = input.FailureThreshold ?? existing?.FailureThreshold ?? 1;
        if (failureThreshold < 1 || failureThreshold > 100) Add("failureThreshold", "Failure threshold must be between 1 and 100.");
        var recoveryThreshold = input.RecoveryThreshold ?? existing?.RecoveryThreshold ?? 1;
        if (recoveryThreshold < 1 || recoveryThreshold > 100) Add("recoveryThreshold", "Recovery threshold must be between 1 and 100.");

        var target = input.Target?.Trim() ?? "";
        if (input.Type is not null && !errors.ContainsKey("type") && TargetError(type, target) is { } targetError)
            Add("target", targetError);

        var conditions = input.Conditions ?? existing?.Conditions.ToList() ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            if (c is null || string.IsNullOrWhiteSpace(c.Kind) || !CheckCondition.Kinds.Contains(c.Kind))
                Add($"conditions[{i}].kind", $"Unknown condition kind; one of {string.Join(", ", CheckCondition.Kinds)}.");
            else if (c.Op is not null && !CheckCondition.Operators.Contains(c.Op))
                Add($"conditions[{i}].op", $"Unknown operator '{c.Op}'; one of {string.Join(" ", CheckCondition.Operators)}.");
            else if (c.Value is null)
                Add($"conditions[{i}].value", "Value is required.");
            else if (c.Kind is "latencyMs" or "certExpiryDays" or "diskFreePercent" or "memoryUsedPercent"
                     && !double.TryParse(c.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                Add($"conditions[{i}].value", "Value must be a number.");
            else if (c.Kind is "tlsAllowUntrusted" && !bool.TryParse(c.Value, out _))
                Add($"conditions[{i}].value", "Value must be true or false.");
            else if (c.Kind is "jsonPath" or "header" && string.IsNullOrWhiteSpace(c.Key))
                Add($"conditions[{i}].key", "Key is required for this condition.");
        }

        var tags = input.Tags ?? existing?.Tags.ToList() ?? [];
        if (tags.Any(string.IsNullOrWhiteSpace)) Add("tags", "Tags must not be empty.");
        var dependsOn = input.DependsOn ?? existing?.DependsOn.ToList() ?? [];
        if (existing is not null && dependsOn.Contains(existing.Id)) Add("dependsOn", "A service cannot depend on itself.");

        if (errors.Count > 0) return (null, errors);

        var definition = new ServiceDefinition
        {
            Id = existing?.Id ?? 0,
            Name = name!,
            Type = type,
            Target = target,
            IntervalSeconds = interval,
            TimeoutMs = timeout,
            Retries = retries,
            ThresholdMs = threshold,
            Criticality = criticality,
            FailureThreshold = failureThreshold,
            RecoveryThreshold = recoveryThreshold,
            Conditions = conditions,
            Tags = tags.Select(t => t.Trim()).Distinct().ToList(),
            Enabled = input.Enabled ?? existing?.Enabled ?? true,
            DependsOn = dependsOn.Distinct().ToList(),
            HeartbeatToken = existing?.HeartbeatToken,
            CreatedAtMs = existing?.CreatedAtMs ?? 0,
            Version = (existing?.Version ?? 0) + 1,
        };
        return (definition, errors);
    }

    /// <summary>Null when <paramref name="target"/> parses for <paramref name="type"/>, else why not.</summary>
    public static string? TargetError(ServiceType type, string target)
    {
        switch (type)
        {
            case ServiceType.Http:
                return Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
                    ? null : "An http target must be an absolute http:// or https:// URL.";
            case ServiceType.Tcp:
            case ServiceType.Redis:
                return TryParseHostPort(target, out _, out _) ? null : "A tcp target must be host:port with a port from 1 to 65535.";
            case ServiceType.Tls:
                if (Uri.TryCreate(target, UriKind.Absolute, out var tlsUri) && tlsUri.Scheme == Uri.UriSchemeHttps) return null;
                return TryParseHostPort(target, out _, out _) ? null : "A tls target must be host:port or an https:// URL.";
            case ServiceType.Dns:
                return IsHostName(target) ? null : "A dns target must be a host name.";
            case ServiceType.Heartbeat:
                return null; // the push URL is made by the server
            case ServiceType.Host:
                return target == "memory" || (target.StartsWith("disk:", StringComparison.Ordinal) && target.Length > 5 && target[5] == '/')
                    ? null : "A host target must be 'memory' or 'disk:/mount/point'.";
            case ServiceType.Database:
                return string.IsNullOrWhiteSpace(target) ? "A database target must be a connection string." : null;
            default:
                return "Unknown type.";
        }
    }

    public static bool TryParseHostPort(string target, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = target.LastIndexOf(':');
        if (colon <= 0 || colon == target.Length - 1) return false;
        host = target[..colon].Trim('[', ']');
        if (!int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535) return false;
        return IPAddress.TryParse(host, out _) || IsHostName(host);
    }

    public static bool IsHostName(string host) =>
        !string.IsNullOrWhiteSpace(host) && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
}
