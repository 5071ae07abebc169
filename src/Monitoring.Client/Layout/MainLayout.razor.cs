using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Layout;

public partial class MainLayout
{
    private static readonly MudTheme s_theme = new()
    {
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };

    private MudThemeProvider? _themeProvider;
    // Dark until the browser says otherwise: wall screens and on-call at night are the common case.
    private bool _isDarkMode = true;
    private bool _drawerOpen = true;

    [Inject] public required ConnectionStore Connection { get; init; }
    [Inject] public required ThemePreference Theme { get; init; }

    // Connect as soon as the shell is up, whatever page it shows. Only the connection: the full
    // services store (every service's latency, 10,000 of them at full rate) starts with the pages that show it.
    protected override Task OnInitializedAsync() => Connection.StartAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _themeProvider is not null)
        {
            // A remembered choice wins over the system's preference.
            _isDarkMode = await Theme.LoadAsync() ?? await _themeProvider.GetSystemDarkModeAsync();
            StateHasChanged();
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkMode()
    {
        _isDarkMode = !_isDarkMode;
        await Theme.SaveAsync(_isDarkMode);
    }
}
