using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Admin;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>
/// What every admin page shares: it checks the role before asking for anything, loads its data
/// only for admins, and turns refusals into an error snackbar (or the "Admins only" notice on 403).
/// </summary>
public abstract class AdminPageBase : ComponentBase
{
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required AdminApi Api { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    protected AdminAccess Access { get; private set; } = AdminAccess.Checking;

    protected override async Task OnInitializedAsync()
    {
        await User.LoadAsync();
        Access = !User.IsSignedIn ? AdminAccess.SignedOut : User.IsAdmin ? AdminAccess.Allowed : AdminAccess.Denied;
        if (Access == AdminAccess.Allowed) await LoadAsync();
    }

    /// <summary>Loads the page's data; called only for admins.</summary>
    protected abstract Task LoadAsync();

    /// <summary>True on success; otherwise shows why (prefixed with <paramref name="what"/>) and returns false.</summary>
    protected bool Succeeded(ApiResult result, string what)
    {
        if (result.Problem is not { } problem) return true;
        // The role was taken away since the page opened: say so instead of failing call after call.
        if (problem.IsForbidden) Access = AdminAccess.Denied;
        else if (problem.IsUnauthorized) Access = AdminAccess.SignedOut;
        else Snackbar.Add($"{what}: {problem.Summary}", Severity.Error);
        return false;
    }
}
