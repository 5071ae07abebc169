using Microsoft.AspNetCore.Http.HttpResults;

namespace Monitoring.Web.Hosting;

/// <summary>ProblemDetails answers shared by every API area (RFC 9457, with the request id).</summary>
public static class ProblemResults
{
    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found.", detail: $"No {what.ToLowerInvariant()} has id {id}.");

    public static ProblemHttpResult Status(int status, string title, string? detail = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
