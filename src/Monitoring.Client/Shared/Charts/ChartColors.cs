namespace Monitoring.Client.Shared.Charts;

/// <summary>
/// Hex colours for ApexCharts, which draws SVG attributes and so can't read the theme's CSS
/// variables. They match MudBlazor's default palette, the one <c>MainLayout</c> uses.
/// </summary>
public static class ChartColors
{
    public const string Primary = "#2196f3";
    public const string Healthy = "#00c853";
    public const string Degraded = "#ff9800";
    public const string Unhealthy = "#f44336";
    public const string Neutral = "#9e9e9e";
    public const string Threshold = "#ff9800";

    public static string ForStatus(string? status) => StatusAppearance.For(status).Status switch
    {
        "healthy" => Healthy,
        "degraded" => Degraded,
        "unhealthy" => Unhealthy,
        _ => Neutral,
    };
}
