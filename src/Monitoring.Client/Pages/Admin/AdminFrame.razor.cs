using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;

namespace Monitoring.Client.Pages.Admin;

/// <summary>Heading, description and actions of an admin page, and the gate in front of its content.</summary>
public partial class AdminFrame
{
    [Inject] public required CurrentUser User { get; init; }

    [Parameter, EditorRequired] public required string Title { get; set; }
    [Parameter, EditorRequired] public required string TitleId { get; set; }
    [Parameter, EditorRequired] public required AdminAccess Access { get; set; }
    [Parameter] public string? Description { get; set; }
    [Parameter] public RenderFragment? Actions { get; set; }
    [Parameter] public RenderFragment? ChildContent { get; set; }
}
