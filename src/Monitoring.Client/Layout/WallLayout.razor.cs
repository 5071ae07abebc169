using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Layout;

/// <summary>The chrome-less layout of the wall screen.</summary>
public partial class WallLayout
{
    // Pure black and saturated status colours: contrast at a distance beats subtlety.
    private static readonly MudTheme s_theme = new()
    {
        PaletteDark = new PaletteDark
        {
            Background = "#000000",
            Surface = "#111111",
            TextPrimary = "#ffffff",
            TextSecondary = "#d0d0d0",
            Success = "#00c853",
            Warning = "#ffab00",
            Error = "#ff1744",
        },
    };

    private bool _kiosk;

    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required ServicesStore Store { get; init; }

    protected override void OnParametersSet()
    {
        _kiosk = QueryValues.IsTrue(QueryValues.Get(Navigation.Uri, "kiosk"));
    }

    // Like MainLayout: connect whatever page this layout shows.
    protected override Task OnInitializedAsync() => Store.StartAsync();
}
