using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Monitoring.Client.Admin;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>
/// Creates an API key, then shows its secret once. The secret exists only in this dialog:
/// closing it drops the only copy the browser has.
/// </summary>
public partial class CreateApiKeyDialog
{
    private string _name = "";
    // Least power by default.
    private string _scope = "read";
    private string? _expiresOn;
    private string? _expiryError;
    private ApiProblem? _problem;
    private string? _banner;
    private bool _saving;
    private ApiKeyInfo? _created;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Inject] public required AdminApi Api { get; init; }
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    private async Task SubmitAsync()
    {
        _expiryError = null;
        DateTimeOffset? expiresAt = null;
        if (!string.IsNullOrWhiteSpace(_expiresOn))
        {
            if (!DateOnly.TryParseExact(_expiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                _expiryError = "Enter a date.";
                return;
            }
            expiresAt = EndOfDay(day);
        }
        _saving = true;
        var result = await Api.CreateApiKeyAsync(new CreateApiKeyRequest(_name.Trim(), _scope, expiresAt));
        _saving = false;
        if (result.IsSuccess)
        {
            _created = result.Value;
            // The dialog's title is rendered by its container, which only re-renders when asked.
            Dialog.StateHasChanged();
            return;
        }
        _problem = result.Problem;
        _banner = _problem!.Unplaced("name", "scope", "expiresAt");
    }

    /// <summary>The last second of <paramref name="day"/> in the browser's time zone.</summary>
    public static DateTimeOffset EndOfDay(DateOnly day)
    {
        var local = day.ToDateTime(new TimeOnly(23, 59, 59), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }

    private Task CopyAsync() => _created?.Key is { } key ? CopyToClipboard.CopyAsync(JS, Snackbar, key, "API key") : Task.CompletedTask;

    private void Done() => Dialog.Close(DialogResult.Ok(true));

    private void Cancel() => Dialog.Cancel();
}
