namespace Monitoring.Core.Alerts;

/// <summary>
/// A silence ready to match: label matchers (all must hold) and when it applies. A plain silence
/// applies from <see cref="StartsAt"/> to <see cref="EndsAt"/>; a maintenance window applies inside
/// its recurring windows between <see cref="StartsAt"/> and <see cref="EndsAt"/> (open-ended when null).
/// </summary>
public sealed class SilenceRule
{
    public const int MaxMatchers = 16;

    public SilenceRule(long id, IReadOnlyList<QueryMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset? endsAt, MaintenanceWindow? window)
    {
        Id = id;
        Matchers = matchers;
        StartsAt = startsAt;
        EndsAt = endsAt;
        Window = window;
    }

    public long Id { get; }
    public IReadOnlyList<QueryMatcher> Matchers { get; }
    public DateTimeOffset StartsAt { get; }
    public DateTimeOffset? EndsAt { get; }
    public MaintenanceWindow? Window { get; }

    public bool IsActive(DateTimeOffset at) =>
        at >= StartsAt && (EndsAt is null || at < EndsAt) && (Window is null || Window.Contains(at));

    /// <summary>Whether this silence is over for good at <paramref name="at"/> (it can be forgotten).</summary>
    public bool IsExpired(DateTimeOffset at) => EndsAt is { } end && at >= end;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => QueryMatcher.MatchAll(Matchers, labels);

    /// <summary>
    /// Checks a <see cref="SilenceInput"/> and builds the rule; errors are keyed by field
    /// (<c>matchers[0].op</c>, <c>endsAt</c>, <c>schedule.timeZone</c>, …). <paramref name="now"/> is the default start.
    /// </summary>
    public static SilenceRule? Validate(SilenceInput input, DateTimeOffset now, Dictionary<string, string[]> errors, long id = 0)
    {
        if (input.Comment is { Length: > 1000 }) errors["comment"] = ["Comment is at most 1000 characters."];
        var matchers = new List<QueryMatcher>();
        if (input.Matchers is not { Count: > 0 })
            errors["matchers"] = ["At least one matcher is required (name, op, value), e.g. {\"name\":\"service\",\"op\":\"=\",\"value\":\"api\"}."];
        else if (input.Matchers.Count > MaxMatchers)
            errors["matchers"] = [$"At most {MaxMatchers} matchers."];
        else
        {
            for (var i = 0; i < input.Matchers.Count; i++)
            {
                var m = input.Matchers[i];
                if (m is null) { errors[$"matchers[{i}]"] = ["A matcher must be an object."]; continue; }
                if (string.IsNullOrWhiteSpace(m.Name) || m.Name.Length > 200) { errors[$"matchers[{i}].name"] = ["Name is a label name (alertname, severity, service, serviceId or a rule label)."]; continue; }
                if (!QueryMatcher.TryParseOp(m.Op ?? "=", out var op)) { errors[$"matchers[{i}].op"] = [$"Unknown op '{m.Op}'; one of = != =~ !~."]; continue; }
                if (m.Value is null || m.Value.Length > 1000) { errors[$"matchers[{i}].value"] = ["Value is required (at most 1000 characters)."]; continue; }
                var matcher = QueryMatcher.TryCreate(m.Name.Trim(), op, m.Value, out var regexError);
                if (matcher is null) errors[$"matchers[{i}].value"] = [regexError!];
                else matchers.Add(matcher);
            }
        }
        var startsAt = input.StartsAt ?? now;
        MaintenanceWindow? window = null;
        if (input.Schedule is not null) window = MaintenanceWindow.TryCreate(input.Schedule, errors);
        else if (input.EndsAt is null) errors["endsAt"] = ["EndsAt is required unless a schedule is given."];
        if (input.EndsAt is { } end && end <= startsAt) errors["endsAt"] = ["EndsAt must be after startsAt."];
        return errors.Count > 0 ? null : new SilenceRule(id, matchers, startsAt, input.EndsAt, window);
    }
}
