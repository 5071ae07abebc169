using MudBlazor;

namespace Monitoring.Client.Alerts;

/// <summary>How alert severities and states look: a word and an icon with the colour, never colour alone.</summary>
public static class AlertAppearance
{
    public static readonly IReadOnlyList<string> Severities = ["info", "warning", "error", "critical"];

    public static readonly IReadOnlyList<string> States = ["pending", "firing", "resolved"];

    public static (string Label, string Icon, Color Color) ForSeverity(string? severity) => severity?.ToLowerInvariant() switch
    {
        "critical" => ("Critical", Icons.Material.Filled.Dangerous, Color.Error),
        "error" => ("Error", Icons.Material.Filled.Error, Color.Error),
        "warning" => ("Warning", Icons.Material.Filled.Warning, Color.Warning),
        _ => ("Info", Icons.Material.Filled.Info, Color.Info),
    };

    public static (string Label, string Icon, Color Color) ForState(string? state) => state?.ToLowerInvariant() switch
    {
        "firing" => ("Firing", Icons.Material.Filled.NotificationsActive, Color.Error),
        "pending" => ("Pending", Icons.Material.Filled.HourglassTop, Color.Warning),
        _ => ("Resolved", Icons.Material.Filled.CheckCircle, Color.Success),
    };

    public static bool IsResolved(string? state) => string.Equals(state, "resolved", StringComparison.OrdinalIgnoreCase);
}
