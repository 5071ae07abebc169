namespace Monitoring.Web.Data;

/// <summary>A pushed event: log, metric, trace or alert, with tags and a JSON payload.</summary>
public sealed class EventEntity
{
    public long Id { get; set; }
    public long TimestampMs { get; set; }
    public required string EventType { get; set; }
    public string Source { get; set; } = "";
    public string Level { get; set; } = "info";
    public string Message { get; set; } = "";
    public string TagsJson { get; set; } = "{}";
    public string PayloadJson { get; set; } = "{}";
    public long ReceivedAtMs { get; set; }
}
