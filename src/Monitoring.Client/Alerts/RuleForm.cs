using Monitoring.Core.Alerts;

namespace Monitoring.Client.Alerts;

/// <summary>The rule editor's state: what the person typed, turned into an <see cref="AlertRuleInput"/> for the server.</summary>
public sealed class RuleForm
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Kind { get; set; } = RuleKinds.Metric;
    public string? Query { get; set; }
    public string Operator { get; set; } = ">";
    public double? Threshold { get; set; }
    public int ForSeconds { get; set; }
    public int WindowSeconds { get; set; } = 60;
    public string Aggregation { get; set; } = "avg";
    public string Severity { get; set; } = "warning";
    public List<LabelRow> Labels { get; } = [];
    public IReadOnlyCollection<long> ChannelIds { get; set; } = [];
    public IReadOnlyCollection<long> ServiceIds { get; set; } = [];
    public int RepeatIntervalSeconds { get; set; } = 3600;
    public bool Enabled { get; set; } = true;

    public static RuleForm From(AlertRuleDto rule)
    {
        var form = new RuleForm
        {
            Name = rule.Name,
            Description = rule.Description,
            Kind = rule.Kind,
            Query = rule.Query,
            Operator = rule.Operator,
            Threshold = rule.Threshold,
            ForSeconds = rule.ForSeconds,
            WindowSeconds = rule.WindowSeconds,
            Aggregation = rule.Aggregation,
            Severity = rule.Severity,
            ChannelIds = [.. rule.ChannelIds],
            ServiceIds = [.. rule.ServiceIds],
            RepeatIntervalSeconds = rule.RepeatIntervalSeconds,
            Enabled = rule.Enabled,
        };
        form.Labels.AddRange(rule.Labels.Select(l => new LabelRow { Key = l.Key, Value = l.Value }));
        return form;
    }

    /// <summary>
    /// The body for the server. Fields the kind does not use are left out, so the server neither
    /// validates nor stores them; validation itself is the server's (its errors name these fields).
    /// </summary>
    public AlertRuleInput ToInput()
    {
        var labels = Labels.Where(l => !string.IsNullOrWhiteSpace(l.Key))
            .GroupBy(l => l.Key.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value?.Trim() ?? "", StringComparer.Ordinal);
        return new AlertRuleInput(
            Name: Name.Trim(),
            Description: string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            Kind: Kind,
            Query: Kind == RuleKinds.Metric ? Query?.Trim() : null,
            Operator: RuleKinds.UsesOperator(Kind) ? Operator : null,
            Threshold: RuleKinds.UsesThreshold(Kind) ? Threshold : null,
            ForSeconds: ForSeconds,
            WindowSeconds: RuleKinds.UsesWindow(Kind) ? WindowSeconds : null,
            Aggregation: RuleKinds.UsesAggregation(Kind) ? Aggregation : null,
            Severity: Severity,
            Labels: labels,
            ChannelIds: [.. ChannelIds],
            ServiceIds: RuleKinds.UsesServices(Kind) ? [.. ServiceIds] : null,
            RepeatIntervalSeconds: RepeatIntervalSeconds,
            Enabled: Enabled);
    }

    /// <summary>Whether a preview can say anything yet: a metric rule needs its query.</summary>
    public bool CanPreview => Kind != RuleKinds.Metric || !string.IsNullOrWhiteSpace(Query);
}

/// <summary>One key/value row of a labels editor.</summary>
public sealed class LabelRow
{
    public string Key { get; set; } = "";
    public string? Value { get; set; }
}
