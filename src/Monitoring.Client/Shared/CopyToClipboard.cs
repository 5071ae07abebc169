using Microsoft.JSInterop;
using MudBlazor;

namespace Monitoring.Client.Shared;

/// <summary>Copies a one-time secret; says so when the browser refuses (plain http on a non-local host has no clipboard API).</summary>
public static class CopyToClipboard
{
    public static async Task CopyAsync(IJSRuntime js, ISnackbar snackbar, string text, string what)
    {
        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", text);
            snackbar.Add($"{what} copied to the clipboard.", Severity.Success);
        }
        catch (JSException)
        {
            snackbar.Add("The browser did not allow copying: select the text and copy it yourself.", Severity.Warning);
        }
    }
}
