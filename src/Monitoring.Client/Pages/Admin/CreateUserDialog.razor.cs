using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Admin;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>Creates a user; the server's validation messages appear under the fields they concern.</summary>
public partial class CreateUserDialog
{
    private string _userName = "";
    private string _password = "";
    // Least power by default: an admin must choose to hand out more.
    private string _role = RoleNames.Viewer;
    private ApiProblem? _problem;
    private string? _banner;
    private bool _saving;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Inject] public required AdminApi Api { get; init; }

    private async Task SubmitAsync()
    {
        _saving = true;
        var result = await Api.CreateUserAsync(new CreateUserRequest(_userName.Trim(), _password, _role));
        _saving = false;
        if (result.IsSuccess)
        {
            Dialog.Close(DialogResult.Ok(result.Value!));
            return;
        }
        _problem = result.Problem;
        _banner = _problem!.Unplaced("userName", "password", "role");
    }

    private void Cancel() => Dialog.Cancel();
}
