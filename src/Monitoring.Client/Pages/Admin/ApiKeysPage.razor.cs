using Microsoft.AspNetCore.Components;
using Monitoring.Client.Admin;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>Admin: integration keys. The secret lives only in the create dialog, never in this page's state.</summary>
public partial class ApiKeysPage
{
    private List<ApiKeyInfo> _keys = [];
    private bool _loading = true;
    private DateTimeOffset _now;

    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>How the key begins (<c>mk_{prefix}_</c>, the server's key format), so a person can match it to the secret they hold.</summary>
    private static string KeyStart(ApiKeyInfo key) => $"mk_{key.Prefix}_…";

    protected override async Task LoadAsync()
    {
        _loading = true;
        _now = Time.GetUtcNow();
        var result = await Api.GetApiKeysAsync();
        // Active keys first, newest first: revoked ones are history.
        if (Succeeded(result, "Loading API keys failed"))
            _keys = [.. result.Value!.OrderBy(k => k.Revoked).ThenByDescending(k => k.CreatedAt)];
        _loading = false;
    }

    private async Task CreateAsync()
    {
        // The key is on screen in the dialog; a stray click on the backdrop must not throw it away.
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false };
        var reference = await Dialogs.ShowAsync<CreateApiKeyDialog>("New API key", options);
        await reference.Result;
        // Created or not, the list is cheap to reload and picks up the new key (without its secret).
        await LoadAsync();
    }

    private async Task RevokeAsync(ApiKeyInfo key)
    {
        if (!await Dialogs.ConfirmAsync("Revoke API key?",
                $"Revoke \"{key.Name}\" ({key.Prefix}…)? Integrations using it are refused from their next request. This cannot be undone.", "Revoke"))
            return;
        var result = await Api.RevokeApiKeyAsync(key.Id);
        if (Succeeded(result, $"Revoking {key.Name} failed")) Snackbar.Add($"Revoked {key.Name}.", Severity.Success);
        await LoadAsync();
    }
}
