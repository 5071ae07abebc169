using MudBlazor;

namespace Monitoring.Client.Shared;

/// <summary>
/// How a service status looks: an icon, a word and a colour together, so it reads without
/// colour vision and at a distance. Unknown strings from a newer server show as "unknown".
/// </summary>
public sealed record StatusAppearance(string Status, string Label, string Icon, Color Color, int Severity)
{
    public static readonly StatusAppearance Unhealthy = new("unhealthy", "Unhealthy", Icons.Material.Filled.Error, Color.Error, 0);
    public static readonly StatusAppearance Degraded = new("degraded", "Degraded", Icons.Material.Filled.Warning, Color.Warning, 1);
    public static readonly StatusAppearance Unknown = new("unknown", "Unknown", Icons.Material.Filled.HelpOutline, Color.Default, 2);
    public static readonly StatusAppearance Paused = new("paused", "Paused", Icons.Material.Filled.PauseCircleOutline, Color.Default, 3);
    public static readonly StatusAppearance Healthy = new("healthy", "Healthy", Icons.Material.Filled.CheckCircle, Color.Success, 4);

    /// <summary>Worst first, the order on-call engineers read them in.</summary>
    public static readonly IReadOnlyList<StatusAppearance> All = [Unhealthy, Degraded, Unknown, Paused, Healthy];

    public static StatusAppearance For(string? status) => status?.ToLowerInvariant() switch
    {
        "healthy" => Healthy,
        "degraded" => Degraded,
        "unhealthy" => Unhealthy,
        "paused" => Paused,
        _ => Unknown,
    };
}
