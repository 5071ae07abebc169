using Microsoft.AspNetCore.Components;
using Monitoring.Client.Admin;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>Admin: read-only wall-screen links. Like API keys, the secret URL lives only in the create dialog.</summary>
public partial class DisplayLinksPage
{
    private List<DisplayLinkInfo> _links = [];
    private bool _loading = true;
    private DateTimeOffset _now;

    [Inject] public required TimeProvider Time { get; init; }

    protected override async Task LoadAsync()
    {
        _loading = true;
        _now = Time.GetUtcNow();
        var result = await Api.GetDisplayLinksAsync();
        if (Succeeded(result, "Loading display links failed"))
            _links = [.. result.Value!.OrderBy(l => l.Revoked).ThenByDescending(l => l.CreatedAt)];
        _loading = false;
    }

    private async Task CreateAsync()
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false };
        var reference = await Dialogs.ShowAsync<CreateDisplayLinkDialog>("New display link", options);
        await reference.Result;
        await LoadAsync();
    }

    private async Task RevokeAsync(DisplayLinkInfo link)
    {
        if (!await Dialogs.ConfirmAsync("Revoke display link?",
                $"Revoke \"{link.Name}\"? Screens using it stop updating and are signed out at their next request. This cannot be undone.", "Revoke"))
            return;
        var result = await Api.RevokeDisplayLinkAsync(link.Id);
        if (Succeeded(result, $"Revoking {link.Name} failed")) Snackbar.Add($"Revoked {link.Name}.", Severity.Success);
        await LoadAsync();
    }
}
