using Microsoft.AspNetCore.Components;
using Monitoring.Client.Admin;
using Monitoring.Core.Notifications;
using MudBlazor;

namespace Monitoring.Client.Notifications;

/// <summary>
/// Creates or edits a channel. Secret inputs start empty: a blank one keeps the stored value (it is
/// not sent), a typed one replaces it. The server's field errors show beside their inputs.
/// </summary>
public partial class ChannelEditDialog
{
    private string _name = "";
    private string _type = "webhook";
    private Dictionary<string, string> _settings = [];
    private readonly Dictionary<string, string> _secrets = [];
    private HashSet<string> _severities = [];
    private string _labels = "";
    private string? _labelsError;
    private bool _enabled = true;
    private bool _saving;
    private ApiProblem? _problem;
    private string? _banner;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Parameter] public NotificationChannelDto? Existing { get; set; }
    [Inject] public required ChannelsApi Channels { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    protected override void OnInitialized()
    {
        if (Existing is not { } c) return;
        _name = c.Name;
        _type = c.Type;
        _settings = new Dictionary<string, string>(c.Settings);
        _severities = [.. c.Severities];
        _labels = string.Join(", ", c.MatchLabels.Select(l => $"{l.Key}={l.Value}"));
        _enabled = c.Enabled;
    }

    private string? Problem(string field) => _problem?.For(field);
    private string Setting(string name) => _settings.GetValueOrDefault(name) ?? "";
    private string Secret(string name) => _secrets.GetValueOrDefault(name) ?? "";
    private bool IsSet(string name) => Existing?.SecretsSet.Contains(name) == true;

    private string SecretHelp(ChannelField f) =>
        (IsSet(f.Name) ? "Leave blank to keep the stored value. " : "") + (f.Helper ?? "");

    private void ToggleSeverity(string severity, bool on)
    {
        if (on) _severities.Add(severity); else _severities.Remove(severity);
    }

    private Dictionary<string, string>? ParseLabels()
    {
        var labels = new Dictionary<string, string>();
        foreach (var pair in _labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) return null;
            labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return labels;
    }

    private async Task SaveAsync()
    {
        _labelsError = null;
        if (ParseLabels() is not { } labels)
        {
            _labelsError = "Write name=value pairs separated by commas.";
            return;
        }
        var fields = ChannelFields.For(_type);
        var settings = _settings.Where(s => fields.Any(f => !f.Secret && f.Name == s.Key) && !string.IsNullOrWhiteSpace(s.Value))
            .ToDictionary(s => s.Key, s => s.Value.Trim());
        // Blank secrets are not sent: the server keeps what it has.
        var secrets = _secrets.Where(s => !string.IsNullOrEmpty(s.Value)).ToDictionary(s => s.Key, s => s.Value);
        var input = new NotificationChannelInput(_name.Trim(), _type, settings, secrets.Count == 0 ? null : secrets,
            [.. ChannelFields.Severities.Where(_severities.Contains)], labels, _enabled);

        _saving = true;
        var result = Existing is null ? await Channels.CreateAsync(input) : await Channels.UpdateAsync(Existing.Id, input);
        _saving = false;
        if (result.IsSuccess)
        {
            Snackbar.Add($"Saved {result.Value!.Name}.", Severity.Success);
            Dialog.Close(DialogResult.Ok(result.Value));
            return;
        }
        _problem = result.Problem;
        var shown = new[] { "name", "type", "severities", "matchLabels" }.Concat(fields.Select(f => f.ErrorKey)).ToArray();
        _banner = _problem!.Unplaced(shown);
    }

    private void Cancel() => Dialog.Cancel();
}
