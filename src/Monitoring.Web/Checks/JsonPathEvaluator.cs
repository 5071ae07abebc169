using System.Globalization;
using System.Text.Json;

namespace Monitoring.Web.Checks;

/// <summary>
/// The small subset of JSONPath a health condition needs: <c>$</c>, <c>.name</c>,
/// <c>['name']</c> / <c>["name"]</c> and array indexes <c>[0]</c> (negative counts from the end).
/// No wildcards, filters or recursive descent: a condition names exactly one value.
/// </summary>
internal static class JsonPathEvaluator
{
    /// <summary>Walks <paramref name="path"/> from <paramref name="root"/>; false when a step is missing.</summary>
    public static bool TrySelect(JsonElement root, string path, out JsonElement value, out string? error)
    {
        value = root;
        error = null;
        var p = path.Trim();
        var i = 0;
        if (p.StartsWith('$')) i = 1;
        else if (p.Length > 0 && p[0] != '.' && p[0] != '[') p = "." + p; // "status" is read as "$.status"

        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var start = ++i;
                while (i < p.Length && p[i] != '.' && p[i] != '[') i++;
                if (i == start) return Fail($"empty name at position {start}", out error);
                if (!TryProperty(ref value, p[start..i])) return Fail($"'{p[..i]}' not found", out error);
            }
            else if (p[i] == '[')
            {
                var close = p.IndexOf(']', i);
                if (close < 0) return Fail("missing ']'", out error);
                var inner = p[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    if (!TryProperty(ref value, inner[1..^1])) return Fail($"'{p[..(close + 1)]}' not found", out error);
                }
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    if (value.ValueKind != JsonValueKind.Array) return Fail($"'{p[..i]}' is not an array", out error);
                    var length = value.GetArrayLength();
                    if (index < 0) index += length;
                    if (index < 0 || index >= length) return Fail($"'{p[..(close + 1)]}' is out of range", out error);
                    value = value[index];
                }
                else return Fail($"unsupported selector '[{inner}]'", out error);
                i = close + 1;
            }
            else return Fail($"unexpected '{p[i]}' at position {i}", out error);
        }
        return true;
    }

    /// <summary>The value as a condition compares it: strings unquoted, everything else as JSON text.</summary>
    public static string ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    private static bool TryProperty(ref JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out var next)) return false;
        value = next;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
