using Microsoft.AspNetCore.Components;
using Monitoring.Client.Admin;
using Monitoring.Client.Live;
using Monitoring.Core.Incidents;
using MudBlazor;

namespace Monitoring.Client.Incidents;

/// <summary>Opens an incident by hand; the server's validation messages appear under the fields they concern.</summary>
public partial class OpenIncidentDialog
{
    private static readonly string[] Severities = ["info", "warning", "error", "critical"];

    private string _title = "";
    private string? _description;
    private string _severity = "warning";
    private IReadOnlyCollection<long> _services = [];
    private string? _assignee;
    private ApiProblem? _problem;
    private string? _banner;
    private bool _saving;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Inject] public required IncidentWorkflowApi Workflow { get; init; }
    [Inject] public required ServicesStore Store { get; init; }

    private async Task SubmitAsync()
    {
        _saving = true;
        var input = new IncidentCreateInput(_title, _description, _severity, [.. _services], _assignee);
        var result = await Workflow.CreateAsync(input);
        _saving = false;
        if (result.IsSuccess)
        {
            Dialog.Close(DialogResult.Ok(result.Value!));
            return;
        }
        _problem = result.Problem;
        _banner = _problem!.Unplaced("title", "description", "severity", "serviceIds", "assignedTo");
    }

    private string ServiceName(long id) => Store.TryGet(id, out var s) && s is not null ? s.Name : $"Service {id}";

    private void Cancel() => Dialog.Cancel();
}
