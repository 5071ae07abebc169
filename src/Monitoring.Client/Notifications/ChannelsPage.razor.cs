using Microsoft.AspNetCore.Components;
using Monitoring.Client.Shared;
using Monitoring.Core.Notifications;
using MudBlazor;

namespace Monitoring.Client.Notifications;

/// <summary>Admin: notification channels. Secrets never reach this page; it only knows which are set.</summary>
public partial class ChannelsPage
{
    private List<NotificationChannelDto> _channels = [];
    private bool _loading = true;
    private long? _testing;
    private (string Name, ChannelTestResult Result)? _testResult;

    [Inject] public required ChannelsApi Channels { get; init; }

    protected override async Task LoadAsync()
    {
        _loading = true;
        var result = await Channels.ListAsync();
        if (Succeeded(result, "Loading channels failed")) _channels = result.Value!;
        _loading = false;
    }

    private static string Routing(NotificationChannelDto c)
    {
        var severities = c.Severities.Count == 0 ? "all severities" : string.Join(", ", c.Severities);
        return c.MatchLabels.Count == 0 ? severities : $"{severities}; {string.Join(", ", c.MatchLabels.Select(l => $"{l.Key}={l.Value}"))}";
    }

    private static string BreakerText(string state) => state switch
    {
        "open" => "Failing (paused)",
        "half-open" => "Probing",
        _ => "OK",
    };

    private static Color BreakerColor(string state) => state switch { "open" => Color.Error, "half-open" => Color.Warning, _ => Color.Success };

    private async Task EditAsync(NotificationChannelDto? channel)
    {
        var parameters = new DialogParameters<ChannelEditDialog> { { d => d.Existing, channel } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false };
        var reference = await Dialogs.ShowAsync<ChannelEditDialog>(channel is null ? "New channel" : $"Edit {channel.Name}", parameters, options);
        var closed = await reference.Result;
        if (closed is { Canceled: false }) await LoadAsync();
    }

    private async Task SetEnabledAsync(NotificationChannelDto channel, bool enabled)
    {
        var result = await Channels.UpdateAsync(channel.Id, new NotificationChannelInput(null, null, null, null, null, null, enabled));
        if (Succeeded(result, $"Changing {channel.Name} failed"))
            Snackbar.Add($"{channel.Name} {(enabled ? "enabled" : "disabled")}.", Severity.Success);
        await LoadAsync();
    }

    private async Task TestAsync(NotificationChannelDto channel)
    {
        _testing = channel.Id;
        _testResult = null;
        var result = await Channels.TestAsync(channel.Id);
        _testing = null;
        if (Succeeded(result, $"Testing {channel.Name} failed")) _testResult = (channel.Name, result.Value!);
    }

    private async Task DeleteAsync(NotificationChannelDto channel)
    {
        if (!await Dialogs.ConfirmAsync("Delete channel?",
                $"Delete \"{channel.Name}\"? Its undelivered notifications are dropped and rules naming it fall back to the other channels.", "Delete"))
            return;
        var result = await Channels.DeleteAsync(channel.Id);
        if (Succeeded(result, $"Deleting {channel.Name} failed")) Snackbar.Add($"Deleted {channel.Name}.", Severity.Success);
        await LoadAsync();
    }
}
