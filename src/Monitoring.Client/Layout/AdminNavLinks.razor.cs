using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;

namespace Monitoring.Client.Layout;

/// <summary>The drawer's admin section; left out entirely for everyone else (the server refuses them anyway).</summary>
public partial class AdminNavLinks
{
    [Inject] public required CurrentUser User { get; init; }

    protected override Task OnInitializedAsync() => User.LoadAsync();
}
