using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;

namespace Monitoring.Client.Layout;

/// <summary>
/// The app bar's account menu: who is signed in, with which role, and the way to the server's
/// password and sign-out pages (plain HTML forms, hence full page loads).
/// </summary>
public partial class UserMenu
{
    private bool _loaded;

    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    private string RoleText => User.Account?.ActorType switch
    {
        "display" => "Wall screen (read only)",
        "apikey" => $"API key, scope {User.Account.Scope}",
        _ => User.Role.Length > 0 ? User.Role : "No role",
    };

    // Back to this page after signing in again.
    private string SignInHref => "/login?returnUrl=" + Uri.EscapeDataString("/" + Navigation.ToBaseRelativePath(Navigation.Uri));

    protected override async Task OnInitializedAsync()
    {
        await User.LoadAsync();
        _loaded = true;
    }
}
