namespace Monitoring.Client.Admin;

/// <summary>Why the server refused a request: its ProblemDetails, with the validation errors by field.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Status 0: no answer at all (network down, server restarting).</summary>
    public const int NoResponse = 0;

    public static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public bool IsForbidden => Status == 403;

    public bool IsUnauthorized => Status == 401;

    /// <summary>The messages for one field (the server's camelCase name), joined; null when that field is fine.</summary>
    public string? For(string field) => Errors.TryGetValue(field, out var messages) && messages.Length > 0 ? string.Join(" ", messages) : null;

    /// <summary>One line for a snackbar: the validation messages when there are any, else title and detail.</summary>
    public string Summary =>
        Errors.Count > 0 ? string.Join(" ", Errors.Values.SelectMany(m => m))
        : Detail is { Length: > 0 } detail ? $"{Title} {detail}"
        : Title;

    /// <summary>
    /// Messages for fields a form doesn't show next to an input (e.g. "body", "user"); null when every
    /// error is already beside its field, so the form doesn't repeat it in a banner.
    /// </summary>
    public string? Unplaced(params string[] shownFields)
    {
        if (Errors.Count == 0) return Summary;
        var other = Errors.Where(e => !shownFields.Contains(e.Key, StringComparer.OrdinalIgnoreCase)).SelectMany(e => e.Value).ToList();
        return other.Count > 0 ? string.Join(" ", other) : null;
    }
}

/// <summary>The outcome of an admin API call: success, or the <see cref="ApiProblem"/> to show.</summary>
public record ApiResult(ApiProblem? Problem)
{
    public static readonly ApiResult Success = new((ApiProblem?)null);

    public bool IsSuccess => Problem is null;
}

public sealed record ApiResult<T>(T? Value, ApiProblem? Problem) : ApiResult(Problem)
{
    public static ApiResult<T> Failed(ApiProblem problem) => new(default, problem);
}
