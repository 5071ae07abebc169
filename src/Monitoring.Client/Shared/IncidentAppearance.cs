using MudBlazor;

namespace Monitoring.Client.Shared;

/// <summary>How incident states and severities look: a word and an icon with the colour, as for service statuses.</summary>
public static class IncidentAppearance
{
    public static (string Label, string Icon, Color Color) ForStatus(string status) => status.ToLowerInvariant() switch
    {
        "resolved" => ("Resolved", Icons.Material.Filled.CheckCircle, Color.Success),
        "monitoring" => ("Monitoring", Icons.Material.Filled.Visibility, Color.Info),
        "identified" => ("Identified", Icons.Material.Filled.ManageSearch, Color.Warning),
        _ => ("Investigating", Icons.Material.Filled.ReportProblem, Color.Error),
    };

    public static (string Label, Color Color) ForSeverity(string severity) => severity.ToLowerInvariant() switch
    {
        "critical" => ("Critical", Color.Error),
        "error" => ("Error", Color.Error),
        "warning" => ("Warning", Color.Warning),
        _ => ("Info", Color.Info),
    };
}
