using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Monitoring.Client.Admin;
using Monitoring.Core.Alerts;
using Monitoring.Core.Notifications;
using MudBlazor;

namespace Monitoring.Client.Alerts;

/// <summary>
/// Creates or edits a rule, with a live preview of what the rule sees now. The preview is asked for
/// <see cref="PreviewDelay"/> after the last edit and again every <see cref="PreviewRefresh"/> while the
/// dialog is open; a newer request cancels an older one. Validation is the server's: its errors are
/// shown on the fields they name.
/// </summary>
public partial class AlertRuleDialog : IDisposable
{
    public static readonly TimeSpan PreviewDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan PreviewRefresh = TimeSpan.FromSeconds(5);

    /// <summary>Fields shown next to an input; errors for any other field go to the banner.</summary>
    private static readonly string[] s_fields =
        ["name", "description", "kind", "query", "operator", "threshold", "forSeconds", "windowSeconds", "aggregation", "severity", "labels", "channelIds", "serviceIds", "repeatIntervalSeconds"];

    private readonly CancellationTokenSource _disposed = new();
    private RuleForm _form = new();
    private ApiProblem? _problem;
    private string? _banner;
    private bool _saving;
    private AlertRulePreview? _preview;
    private string? _previewError;
    private string _previewSignature = "";
    private ITimer? _debounce;
    private ITimer? _refresh;
    private CancellationTokenSource? _previewing;

    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }
    [Inject] public required AlertsApi Api { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>The rule to edit; null to create one.</summary>
    [Parameter] public AlertRuleDto? Rule { get; set; }

    [Parameter] public IReadOnlyList<NotificationChannelDto> Channels { get; set; } = [];

    [Parameter] public IReadOnlyList<ServiceRef> Services { get; set; } = [];

    protected override void OnInitialized()
    {
        if (Rule is not null) _form = RuleForm.From(Rule);
        _refresh = Time.CreateTimer(_ => _ = InvokeAsync(() => PreviewAsync(force: true)), null, PreviewRefresh, PreviewRefresh);
    }

    // Every edit re-renders the dialog, so "the input changed since the last preview" is checked here
    // rather than in each field's change handler.
    protected override void OnAfterRender(bool firstRender)
    {
        var signature = Signature();
        if (signature == _previewSignature) return;
        _previewSignature = signature;
        _debounce?.Dispose();
        _debounce = Time.CreateTimer(_ => _ = InvokeAsync(() => PreviewAsync(force: false)), null, PreviewDelay, Timeout.InfiniteTimeSpan);
    }

    private string Signature() => JsonSerializer.Serialize(_form.ToInput(), AlertsJsonContext.Default.AlertRuleInput);

    private async Task PreviewAsync(bool force)
    {
        if (_disposed.IsCancellationRequested) return;
        if (!_form.CanPreview)
        {
            _preview = null;
            _previewError = null;
            StateHasChanged();
            return;
        }
        // The periodic refresh waits for a pending edit's own request.
        if (force && _previewing is not null) return;
        _previewing?.Cancel();
        using var request = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        _previewing = request;
        try
        {
            var result = await Api.PreviewRuleAsync(_form.ToInput(), request.Token);
            if (request.IsCancellationRequested) return;
            if (result.Value is { } preview)
            {
                _preview = preview;
                _previewError = null;
            }
            else
            {
                _previewError = result.Problem!.Errors.Count > 0
                    ? "Can't evaluate yet: " + result.Problem.Summary
                    : $"Preview failed: {result.Problem.Summary}";
            }
        }
        catch (OperationCanceledException) when (request.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            if (ReferenceEquals(_previewing, request)) _previewing = null;
        }
        StateHasChanged();
    }

    private void OnKindChanged(string kind)
    {
        if (RuleKinds.UsesOperator(kind) && RuleKinds.DefaultOperator(kind) != RuleKinds.DefaultOperator(_form.Kind))
            _form.Operator = RuleKinds.DefaultOperator(kind);
        _form.Kind = kind;
    }

    private string Condition => RuleKinds.Condition(_form.Kind, _form.Query, _form.Operator, _form.Threshold, _form.ForSeconds, _form.WindowSeconds, _form.Aggregation);

    private bool Has(string field) => _problem?.For(field) is not null;

    private string? For(string field) => _problem?.For(field);

    private string ServiceName(long id) => Services.FirstOrDefault(s => s.Id == id)?.Name ?? $"Service {id}";

    private string ChannelName(long id) => Channels.FirstOrDefault(c => c.Id == id)?.Name ?? $"Channel {id}";

    internal static string LabelText(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "{}" : "{" + string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";

    private string ValueText(double? value) =>
        value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) + RuleKinds.ThresholdUnit(_form.Kind) : "no value";

    private static string Summary(AlertRulePreview preview)
    {
        var holding = preview.Items.Count(i => i.ConditionMet);
        return holding == 0
            ? $"The condition holds for none of {preview.Items.Count} matching."
            : $"The condition holds for {holding} of {preview.Items.Count} matching.";
    }

    private async Task SaveAsync()
    {
        _saving = true;
        var input = _form.ToInput();
        var result = Rule is null ? await Api.CreateRuleAsync(input, _disposed.Token) : await Api.UpdateRuleAsync(Rule.Id, input, _disposed.Token);
        _saving = false;
        if (result.Value is { } saved)
        {
            Dialog.Close(DialogResult.Ok(saved));
            return;
        }
        _problem = result.Problem;
        _banner = _problem!.Unplaced(s_fields);
    }

    private void Cancel() => Dialog.Cancel();

    public void Dispose()
    {
        _disposed.Cancel();
        _debounce?.Dispose();
        _refresh?.Dispose();
    }
}
