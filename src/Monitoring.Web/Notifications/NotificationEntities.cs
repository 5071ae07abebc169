namespace Monitoring.Web.Notifications;

/// <summary>A configured receiver. Secrets are one JSON object protected with ASP.NET Core Data Protection.</summary>
public sealed class NotificationChannelEntity
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string SettingsJson { get; set; } = "{}";
    /// <summary>Data-protected JSON of the secrets; null when none is set.</summary>
    public string? SecretsProtected { get; set; }
    public string SeveritiesJson { get; set; } = "[]";
    public string MatchLabelsJson { get; set; } = "{}";
    public bool Enabled { get; set; } = true;
    public long CreatedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
}

/// <summary>Where an outbox row is in its life.</summary>
public static class OutboxStatus
{
    /// <summary>Not attempted yet.</summary>
    public const string Pending = "pending";
    /// <summary>The last attempt failed; another is scheduled at <c>NextAttemptAtMs</c>.</summary>
    public const string Failed = "failed";
    public const string Delivered = "delivered";
    /// <summary>Given up: attempts exhausted or a failure a retry cannot fix.</summary>
    public const string Dead = "dead";
}

/// <summary>One delivery of one alert moment to one channel: the source of truth, whatever the job store forgets.</summary>
public sealed class NotificationOutboxEntity
{
    public long Id { get; set; }
    public long ChannelId { get; set; }
    public string EventKey { get; set; } = "";
    /// <summary><c>{EventKey}:{ChannelId}</c>, unique: the receiver sees it on every attempt.</summary>
    public string IdempotencyKey { get; set; } = "";
    public string Kind { get; set; } = "";
    public long? AlertId { get; set; }
    public long? ServiceId { get; set; }
    public long? IncidentId { get; set; }
    /// <summary>The message as it was when the alert changed (a <see cref="NotificationMessage"/>), never secrets.</summary>
    public string PayloadJson { get; set; } = "{}";
    public string Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public long NextAttemptAtMs { get; set; }
    /// <summary>When a job was enqueued for the current attempt; null = the dispatcher still has to hand it over.</summary>
    public long? EnqueuedAtMs { get; set; }
    /// <summary>A worker holds the row until then, so two workers never send it at once.</summary>
    public long? LeaseUntilMs { get; set; }
    public string? LastError { get; set; }
    public int? LastStatusCode { get; set; }
    public long? DeliveredAtMs { get; set; }
    public long CreatedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
}
