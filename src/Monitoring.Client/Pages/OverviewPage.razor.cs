using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
using Monitoring.Client.Pages.Overview;

namespace Monitoring.Client.Pages;

/// <summary>The landing page: metric cards, the status grid, the alert feed and open incidents, all live.</summary>
public partial class OverviewPage
{
    private IReadOnlyList<string> _metrics = [];

    [Inject] public required ConnectionStore Connection { get; init; }
    [Inject] public required MetricSelection Selection { get; init; }

    protected override async Task OnInitializedAsync()
    {
        // The page itself renders only when the metric selection changes; the connection line,
        // the grid, the feed and the incidents each render on their own.
        await Connection.StartAsync();
        _metrics = await Selection.LoadAsync();
    }

    private async Task OnSelectedChangedAsync(IReadOnlyList<string> names)
    {
        _metrics = names;
        await Selection.SaveAsync(names);
    }

    private Task RemoveAsync(string name) => OnSelectedChangedAsync([.. _metrics.Where(n => n != name)]);
}
