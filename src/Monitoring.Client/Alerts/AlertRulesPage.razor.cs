using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Shared;
using Monitoring.Core.Alerts;
using Monitoring.Core.Notifications;
using MudBlazor;

namespace Monitoring.Client.Alerts;

/// <summary>The alert rules, with the editor dialog to create and change them.</summary>
public partial class AlertRulesPage
{
    private List<AlertRuleDto> _rules = [];
    private List<NotificationChannelDto> _channels = [];
    private List<ServiceRef> _services = [];
    private bool _loaded;
    private bool _canOperate;
    private string? _error;

    [Inject] public required AlertsApi Api { get; init; }
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    protected override async Task OnInitializedAsync()
    {
        var user = User.LoadAsync();
        var channels = Api.GetChannelsAsync();
        var services = Api.GetServicesAsync();
        await LoadAsync();
        // Both lists only name things; the page works (showing ids) without them.
        _channels = (await channels).Value ?? [];
        _services = [.. ((await services).Value ?? []).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
        await user;
        _canOperate = User.IsOperator;
    }

    private async Task LoadAsync()
    {
        var result = await Api.GetRulesAsync();
        _loaded = true;
        if (result.Value is { } rules)
        {
            _rules = [.. rules.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)];
            _error = null;
        }
        else
        {
            _error = $"Loading rules failed: {result.Problem!.Summary}";
        }
    }

    private string ChannelNames(AlertRuleDto rule) =>
        rule.ChannelIds.Count == 0 ? "none" : string.Join(", ", rule.ChannelIds.Select(id => _channels.FirstOrDefault(c => c.Id == id)?.Name ?? $"#{id}"));

    private string Scope(AlertRuleDto rule) =>
        rule.ServiceIds.Count == 0 ? "all services" : string.Join(", ", rule.ServiceIds.Select(id => _services.FirstOrDefault(s => s.Id == id)?.Name ?? $"service {id}"));

    private Task CreateAsync() => OpenEditorAsync(null);

    private Task EditAsync(AlertRuleDto rule) => OpenEditorAsync(rule);

    private async Task OpenEditorAsync(AlertRuleDto? rule)
    {
        var parameters = new DialogParameters<AlertRuleDialog>
        {
            { d => d.Rule, rule },
            { d => d.Channels, _channels },
            { d => d.Services, _services },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, BackdropClick = false };
        var reference = await Dialogs.ShowAsync<AlertRuleDialog>(rule is null ? "New alert rule" : "Edit alert rule", parameters, options);
        var result = await reference.Result;
        if (result is { Canceled: false, Data: AlertRuleDto saved })
        {
            Snackbar.Add(rule is null ? $"Created rule {saved.Name}." : $"Saved rule {saved.Name}.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task DeleteAsync(AlertRuleDto rule)
    {
        if (!await Dialogs.ConfirmAsync("Delete alert rule?", $"Delete \"{rule.Name}\"? Its alerts stop being evaluated. This cannot be undone.", "Delete"))
            return;
        var result = await Api.DeleteRuleAsync(rule.Id);
        if (result.IsSuccess) Snackbar.Add($"Deleted rule {rule.Name}.", Severity.Success);
        else Snackbar.Add($"Deleting {rule.Name} failed: {result.Problem!.Summary}", Severity.Error);
        await LoadAsync();
    }
}
