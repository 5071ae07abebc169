using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Admin;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>Admin: the user accounts, their roles, creating and deleting them.</summary>
public partial class UsersPage
{
    private List<UserInfo> _users = [];
    private bool _loading = true;
    private bool _busy;

    [Inject] public required NavigationManager Navigation { get; init; }

    private bool IsSelf(UserInfo user) => string.Equals(user.UserName, User.Name, StringComparison.OrdinalIgnoreCase);

    protected override async Task LoadAsync()
    {
        _loading = true;
        var result = await Api.GetUsersAsync();
        if (Succeeded(result, "Loading users failed")) _users = result.Value!;
        _loading = false;
    }

    private async Task CreateAsync()
    {
        var reference = await Dialogs.ShowAsync<CreateUserDialog>("New user", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await reference.Result is { Canceled: false, Data: UserInfo created })
        {
            Snackbar.Add($"Created user {created.UserName} ({created.Role}).", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task ChangeRoleAsync(UserInfo user, string role)
    {
        if (role == user.Role) return;
        var self = IsSelf(user);
        if (self && role != RoleNames.Admin && !await Dialogs.ConfirmAsync("Give up the Admin role?",
                $"You will become {role} and lose access to these admin pages at once.", "Change my role"))
            return;
        _busy = true;
        var result = await Api.UpdateUserAsync(user.Id, new UpdateUserRequest(Role: role));
        _busy = false;
        if (Succeeded(result, $"Changing the role of {user.UserName} failed"))
        {
            // A role change ends that user's sessions; for yourself, start over so the app shows the new role.
            if (self)
            {
                Navigation.NavigateTo("/", forceLoad: true);
                return;
            }
            Snackbar.Add($"{user.UserName} is now {role}. Their open sessions were signed out.", Severity.Success);
        }
        // Reload either way: on a refusal the select must show the role the user really has.
        await LoadAsync();
    }

    private async Task DeleteAsync(UserInfo user)
    {
        if (!await Dialogs.ConfirmAsync("Delete user?",
                $"Delete the user \"{user.UserName}\"? They are signed out at once and cannot sign in again. This cannot be undone.", "Delete"))
            return;
        _busy = true;
        var result = await Api.DeleteUserAsync(user.Id);
        _busy = false;
        if (Succeeded(result, $"Deleting {user.UserName} failed"))
            Snackbar.Add($"Deleted user {user.UserName}.", Severity.Success);
        await LoadAsync();
    }
}
