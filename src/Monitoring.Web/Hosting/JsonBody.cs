using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Monitoring.Web.Hosting;

/// <summary>
/// Reads a JSON body so that malformed JSON or a wrong type becomes a 400 naming the field
/// (the JSON path), instead of the framework's bare 400.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, Dictionary<string, string[]>? Errors)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, new() { ["body"] = ["The body must be JSON (Content-Type: application/json)."] });
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return value is null ? (null, new() { ["body"] = ["The body must be a JSON object."] }) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, new() { [field] = [$"The value is not valid JSON of the expected type{(ex.LineNumber is { } l ? $" (line {l + 1})" : "")}."] });
        }
    }
}
