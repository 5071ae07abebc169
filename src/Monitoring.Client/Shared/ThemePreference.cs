using Microsoft.JSInterop;

namespace Monitoring.Client.Shared;

/// <summary>The remembered dark/light choice, kept in the browser's localStorage by <c>theme.js</c>.</summary>
public sealed class ThemePreference(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./lib/monitoring/theme.js";

    private IJSObjectReference? _module;

    /// <summary>True for dark, false for light, null when nothing was chosen yet (follow the system).</summary>
    public async Task<bool?> LoadAsync()
    {
        try
        {
            var value = await (await ModuleAsync()).InvokeAsync<string?>("load");
            return value switch { "dark" => true, "light" => false, _ => null };
        }
        catch (JSException)
        {
            // Not remembered is not an error worth showing.
            return null;
        }
    }

    public async Task SaveAsync(bool isDarkMode)
    {
        try
        {
            await (await ModuleAsync()).InvokeAsync<bool>("save", isDarkMode ? "dark" : "light");
        }
        catch (JSException)
        {
        }
    }

    private async Task<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try
        {
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
