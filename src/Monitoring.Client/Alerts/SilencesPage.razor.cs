using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Shared;
using Monitoring.Core.Alerts;
using MudBlazor;

namespace Monitoring.Client.Alerts;

/// <summary>Silences and maintenance windows: the list, a create dialog, and expiring one early.</summary>
public partial class SilencesPage
{
    private List<SilenceDto> _silences = [];
    private bool _loaded;
    private bool _canOperate;
    private string? _error;
    private DateTimeOffset _now;

    [Inject] public required AlertsApi Api { get; init; }
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    protected override async Task OnInitializedAsync()
    {
        var user = User.LoadAsync();
        await LoadAsync();
        await user;
        _canOperate = User.IsOperator;
    }

    private async Task LoadAsync()
    {
        var result = await Api.GetSilencesAsync();
        _now = Time.GetUtcNow();
        _loaded = true;
        if (result.Value is { } silences)
        {
            // Active first, then the newest.
            _silences = [.. silences.OrderByDescending(s => s.ActiveNow).ThenByDescending(s => s.CreatedAt)];
            _error = null;
        }
        else
        {
            _error = $"Loading silences failed: {result.Problem!.Summary}";
        }
    }

    private async Task CreateAsync()
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false };
        var reference = await Dialogs.ShowAsync<SilenceDialog>("New silence", options);
        var result = await reference.Result;
        if (result is { Canceled: false })
        {
            Snackbar.Add("Silence created.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task ExpireAsync(SilenceDto silence)
    {
        if (!await Dialogs.ConfirmAsync("Expire silence?",
                $"Expire the silence on {SilenceText.Matchers(silence.Matchers)}? Matching alerts notify again from now on.", "Expire"))
            return;
        var result = await Api.DeleteSilenceAsync(silence.Id);
        if (result.IsSuccess) Snackbar.Add("Silence expired.", Severity.Success);
        else Snackbar.Add($"Expiring the silence failed: {result.Problem!.Summary}", Severity.Error);
        await LoadAsync();
    }
}
