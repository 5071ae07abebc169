using Microsoft.JSInterop;
using Monitoring.Core.Metrics;

namespace Monitoring.Client.Pages.Overview;

/// <summary>The metric names the overview shows as cards, remembered in the browser's localStorage.</summary>
public sealed class MetricSelection(IJSRuntime js)
{
    public const string StorageKey = "monitoring.overview.metrics";
    public const int MaxCards = 8;

    /// <summary>What the host collector writes on every install.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["host_cpu_usage_percent", "host_memory_used_percent"];

    public async Task<List<string>> LoadAsync()
    {
        try
        {
            var stored = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
            if (stored is null) return [.. Defaults];
            return [.. stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(MetricNaming.IsValidMetricName).Distinct().Take(MaxCards)];
        }
        catch (JSException)
        {
            return [.. Defaults];
        }
    }

    public async Task SaveAsync(IEnumerable<string> names)
    {
        try { await js.InvokeVoidAsync("localStorage.setItem", StorageKey, string.Join(",", names)); }
        catch (JSException) { }
    }
}
