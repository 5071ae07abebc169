using Monitoring.Core.Alerts;
using Monitoring.Core.Metrics;

namespace Monitoring.Client.Tests;

/// <summary>Builds alerts and metric points for tests.</summary>
public static class AlertData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static AlertDto Alert(long id, string severity = "warning", string state = "firing", int minute = 0) =>
        new(id, 1, $"rule{id}", $"fp{id}", state, severity, $"message {id}", new Dictionary<string, string>(), null, null, 1.0,
            T0, T0, null, null, null, false, false, null, 0, T0.AddMinutes(minute));

    public static MetricPoint Point(string name, double value, int second, string? host = null) =>
        new(1, name, "gauge", "", host is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["host"] = host }, T0.AddSeconds(second), value);
}
