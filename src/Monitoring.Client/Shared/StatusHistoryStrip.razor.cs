using System.Globalization;
using Microsoft.AspNetCore.Components;
using Monitoring.Client.Api;

namespace Monitoring.Client.Shared;

/// <summary>The recent checks of one service as a strip of coloured cells, with a count per status.</summary>
public partial class StatusHistoryStrip
{
    /// <summary>Oldest first.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<CheckResultInfo> Results { get; set; }

    [Parameter(CaptureUnmatchedValues = true)] public IReadOnlyDictionary<string, object>? Attributes { get; set; }

    private string Summary
    {
        get
        {
            if (Results.Count == 0) return "No checks yet";
            var counts = Results.CountBy(r => StatusAppearance.For(r.Status)).OrderBy(c => c.Key.Severity)
                .Select(c => $"{c.Value} {c.Key.Label.ToLowerInvariant()}");
            return $"Last {Results.Count} {(Results.Count == 1 ? "check" : "checks")}: {string.Join(", ", counts)}";
        }
    }

    private static string Describe(CheckResultInfo result, StatusAppearance appearance)
    {
        var text = $"{DisplayFormat.Absolute(result.CheckedAt)} · {appearance.Label} · {DisplayFormat.Latency(result.ResponseTimeMs)}";
        if (result.StatusCode is { } code) text += " · HTTP " + code.ToString(CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(result.Message) ? text : $"{text} · {result.Message}";
    }
}
