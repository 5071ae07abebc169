using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Monitoring.Client.Admin;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>Creates a display link, then shows its full URL once.</summary>
public partial class CreateDisplayLinkDialog
{
    private string _name = "";
    private ApiProblem? _problem;
    private string? _banner;
    private bool _saving;
    private string? _link;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Inject] public required AdminApi Api { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    private async Task SubmitAsync()
    {
        _saving = true;
        var result = await Api.CreateDisplayLinkAsync(new CreateDisplayLinkRequest(_name.Trim()));
        _saving = false;
        if (result is { IsSuccess: true, Value.Url: { } url })
        {
            _link = AbsoluteLink(Navigation.BaseUri, url);
            // The dialog's title is rendered by its container, which only re-renders when asked.
            Dialog.StateHasChanged();
            return;
        }
        _problem = result.Problem ?? new ApiProblem(200, "The server did not return the link.", null, ApiProblem.NoErrors);
        _banner = _problem.Unplaced("name");
    }

    /// <summary>The server answers a path (<c>/display/md_…</c>); a wall screen needs the whole address, under the app's base.</summary>
    public static string AbsoluteLink(string baseUri, string url) => baseUri.TrimEnd('/') + "/" + url.TrimStart('/');

    private Task CopyAsync() => _link is { } link ? CopyToClipboard.CopyAsync(JS, Snackbar, link, "Link") : Task.CompletedTask;

    private void Done() => Dialog.Close(DialogResult.Ok(true));

    private void Cancel() => Dialog.Cancel();
}
