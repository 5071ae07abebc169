using System.Text.Json;
using Monitoring.Web.Checks;

namespace Monitoring.Web.Tests.Checks;

public sealed class JsonPathEvaluatorTests
{
    private const string Json = """{"status":"ok","n":1.5,"a":{"b":[{"c":null},{"c":[1,2]}]},"odd key":{"x":false}}""";

    [Theory]
    [InlineData("$.status", "ok")]
    [InlineData("status", "ok")]
    [InlineData("$.n", "1.5")]
    [InlineData("$.a.b[0].c", "null")]
    [InlineData("$.a.b[1].c", "[1,2]")]
    [InlineData("$.a.b[-1].c[0]", "1")]
    [InlineData("$['odd key'].x", "false")]
    [InlineData("$[\"a\"][\"b\"][1]['c'][1]", "2")]
    public void Selects(string path, string expected)
    {
        using var doc = JsonDocument.Parse(Json);
        Assert.True(JsonPathEvaluator.TrySelect(doc.RootElement, path, out var value, out var error), error);
        Assert.Equal(expected, JsonPathEvaluator.ToText(value));
    }

    [Theory]
    [InlineData("$.nope", "not found")]
    [InlineData("$.a.b[2]", "out of range")]
    [InlineData("$.status[0]", "not an array")]
    [InlineData("$.a.b[*]", "unsupported")]
    [InlineData("$.a..b", "empty name")]
    [InlineData("$.a.b[0", "missing ']'")]
    public void Reports_why_a_path_fails(string path, string reason)
    {
        using var doc = JsonDocument.Parse(Json);
        Assert.False(JsonPathEvaluator.TrySelect(doc.RootElement, path, out _, out var error));
        Assert.Contains(reason, error);
    }
}
