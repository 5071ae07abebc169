using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Layout;

namespace Monitoring.Client.Tests.Layout;

public sealed class WallLayoutTests : MonitoringTestContext
{
    private IRenderedComponent<WallLayout> RenderLayout(string url)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<WallLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">wall</p>"))));
    }

    [Fact]
    public void ShowsASlimBarWithoutKioskMode()
    {
        var cut = RenderLayout("wall");

        Assert.NotNull(cut.Find("#wall-bar"));
        Assert.NotNull(cut.Find("#connection-state"));
        Assert.NotNull(cut.Find("#page-body"));
        Assert.Empty(cut.FindAll(".mud-appbar, .mud-drawer"));
    }

    [Fact]
    public void KioskModeHidesAllChrome()
    {
        var cut = RenderLayout("wall?rotate=20&kiosk=1");

        Assert.Empty(cut.FindAll("#wall-bar"));
        Assert.Contains("kiosk", cut.Find("#wall-layout").ClassList);
        Assert.NotNull(cut.Find("#page-body"));
    }

    [Fact]
    public void StartsTheLiveConnection()
    {
        RenderLayout("wall?kiosk=1");

        Assert.True(Store.HasSnapshot);
    }
}
