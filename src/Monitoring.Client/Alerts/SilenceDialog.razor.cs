using Microsoft.AspNetCore.Components;
using Monitoring.Client.Admin;
using MudBlazor;

namespace Monitoring.Client.Alerts;

/// <summary>
/// Creates a silence: label matchers plus either a one-off window or a recurring maintenance
/// schedule (days of the week and a start time, or cron) in a time zone.
/// </summary>
public partial class SilenceDialog
{
    private static readonly string[] s_fields =
        ["comment", "matchers", "startsAt", "endsAt", "schedule.days", "schedule.start", "schedule.cron", "schedule.durationMinutes", "schedule.timeZone"];

    private SilenceForm _form = new();
    private ApiProblem? _problem;
    private string? _banner;
    private bool _saving;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Inject] public required AlertsApi Api { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    protected override void OnInitialized() => _form = SilenceForm.StartingAt(Time.GetUtcNow(), DefaultTimeZone());

    // The browser's zone when .NET knows it by its IANA name (WebAssembly does); otherwise UTC.
    private static string DefaultTimeZone() =>
        TimeZoneInfo.Local.HasIanaId ? TimeZoneInfo.Local.Id
        : TimeZoneInfo.TryConvertWindowsIdToIanaId(TimeZoneInfo.Local.Id, out var iana) ? iana
        : "UTC";

    private Variant ModeVariant(SilenceMode mode) => _form.Mode == mode ? Variant.Filled : Variant.Outlined;

    private void ToggleDay(string day)
    {
        if (!_form.Days.Remove(day)) _form.Days.Add(day);
    }

    private string Preview
    {
        get
        {
            var (input, _, _) = _form.ToInput();
            if (input is null) return "";
            var matches = SilenceText.Matchers(input.Matchers ?? []);
            return input.Schedule is { } schedule
                ? $"Silences {matches}: {SilenceText.Schedule(schedule)}."
                : $"Silences {matches} once.";
        }
    }

    private bool Has(string field) => For(field) is not null;

    // Errors from this form's own checks, or from the server (keys as the server names them).
    private string? For(string field) => _problem?.For(field) ?? (_problem?.Errors.Keys.Any(k => k.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)) == true
        ? string.Join(" ", _problem.Errors.Where(e => e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Value))
        : null);

    private async Task SaveAsync()
    {
        var (input, field, error) = _form.ToInput();
        if (input is null)
        {
            _problem = new ApiProblem(400, "Check the form.", null, new Dictionary<string, string[]> { [field!] = [error!] });
            _banner = null;
            return;
        }
        _saving = true;
        var result = await Api.CreateSilenceAsync(input);
        _saving = false;
        if (result.Value is { } created)
        {
            Dialog.Close(DialogResult.Ok(created));
            return;
        }
        _problem = result.Problem;
        var shown = s_fields.Concat(_problem!.Errors.Keys.Where(k => k.StartsWith("matchers[", StringComparison.OrdinalIgnoreCase))).ToArray();
        _banner = _problem.Unplaced(shown);
    }

    private void Cancel() => Dialog.Cancel();
}
