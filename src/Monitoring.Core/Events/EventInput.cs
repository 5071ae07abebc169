using System.Text.Json;

namespace Monitoring.Core.Events;

/// <summary>One event as posted to <c>POST /api/v1/events</c>.</summary>
public sealed class EventInput
{
    public string? EventType { get; set; }
    public string? Source { get; set; }
    public string? Message { get; set; }
    public string? Level { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public JsonElement? Payload { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
}

/// <summary>Event types and levels, and the validation of a request (every bad event named by index).</summary>
public static class EventValidator
{
    public static readonly string[] EventTypes = ["log", "metric", "trace", "alert"];
    public static readonly string[] Levels = ["trace", "debug", "info", "warning", "error", "critical"];
    public const int MaxSourceLength = 200;
    public const int MaxMessageLength = 8_192;
    public const int MaxTags = 64;
    public const int MaxTagLength = 1_024;
    public const int MaxPayloadBytes = 64 * 1024;

    public static void Validate(IReadOnlyList<EventInput?> events, bool single, Dictionary<string, string[]> errors)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var at = single ? "" : $"[{i}].";
            var e = events[i];
            if (e is null)
            {
                errors[single ? "body" : $"[{i}]"] = ["An event must be an object."];
                continue;
            }
            if (e.EventType is null || !EventTypes.Contains(e.EventType))
                errors[$"{at}eventType"] = [$"'{e.EventType}' is not an event type; allowed: {string.Join(", ", EventTypes)}."];
            if (e.Level is not null && !Levels.Contains(e.Level))
                errors[$"{at}level"] = [$"'{e.Level}' is not a level; allowed: {string.Join(", ", Levels)}."];
            if (e.Source is { Length: > MaxSourceLength })
                errors[$"{at}source"] = [$"At most {MaxSourceLength} characters."];
            if (e.Message is { Length: > MaxMessageLength })
                errors[$"{at}message"] = [$"At most {MaxMessageLength} characters."];
            if (e.Tags is { } tags)
            {
                if (tags.Count > MaxTags) errors[$"{at}tags"] = [$"At most {MaxTags} tags."];
                else if (tags.Any(t => t.Key.Length is 0 or > 200 || t.Value is null || t.Value.Length > MaxTagLength))
                    errors[$"{at}tags"] = [$"Tag keys are 1–200 characters and values strings of at most {MaxTagLength}."];
            }
            if (e.Payload is { } payload && payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
                errors[$"{at}payload"] = ["The payload must be a JSON object."];
            else if (e.Payload is { ValueKind: JsonValueKind.Object } p && p.GetRawText().Length > MaxPayloadBytes)
                errors[$"{at}payload"] = [$"The payload is larger than {MaxPayloadBytes} bytes."];
        }
    }
}
