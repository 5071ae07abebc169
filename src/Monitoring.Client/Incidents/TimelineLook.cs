using MudBlazor;

namespace Monitoring.Client.Incidents;

/// <summary>How a timeline entry looks: a label and an icon with a colour class, so the type reads without colour.</summary>
public static class TimelineLook
{
    public static (string Label, string Icon, string Class) For(string type) => type switch
    {
        "check_failed" => ("Check failed", Icons.Material.Filled.Error, "bad"),
        "check_recovered" => ("Check passed", Icons.Material.Filled.CheckCircle, "good"),
        "status_changed" => ("Status change", Icons.Material.Filled.SwapVert, "info"),
        "incident_opened" => ("Incident opened", Icons.Material.Filled.ReportProblem, "bad"),
        "incident_acknowledged" => ("Acknowledged", Icons.Material.Filled.PersonSearch, "info"),
        "incident_updated" => ("Incident updated", Icons.Material.Filled.Edit, "info"),
        "incident_resolved" => ("Resolved", Icons.Material.Filled.TaskAlt, "good"),
        "alert_pending" => ("Alert pending", Icons.Material.Filled.HourglassTop, "warn"),
        "alert_firing" => ("Alert firing", Icons.Material.Filled.NotificationsActive, "bad"),
        "alert_resolved" => ("Alert resolved", Icons.Material.Filled.NotificationsOff, "good"),
        "alert_acknowledged" => ("Alert acknowledged", Icons.Material.Filled.NotificationsPaused, "info"),
        "notification_sent" => ("Notification sent", Icons.Material.Filled.Send, "info"),
        "notification_failed" => ("Notification failed", Icons.Material.Filled.CancelScheduleSend, "bad"),
        "note" => ("Note", Icons.Material.Filled.StickyNote2, "info"),
        "event" => ("Event", Icons.Material.Filled.Event, "quiet"),
        _ => (type.Replace('_', ' '), Icons.Material.Filled.Circle, "quiet"),
    };
}
