using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;

namespace Monitoring.Web.Incidents;

/// <summary>A service an incident covers. Automatic incidents have one (their <c>ServiceId</c>); manual ones any number.</summary>
public sealed class IncidentServiceEntity
{
    public long IncidentId { get; set; }
    public long ServiceId { get; set; }
}

/// <summary>A note someone wrote on an incident's timeline.</summary>
public sealed class IncidentNoteEntity
{
    public const int MaxTextLength = 10_000;

    public long Id { get; set; }
    public long IncidentId { get; set; }
    public required string Author { get; set; }
    public required string Text { get; set; }
    public long AtMs { get; set; }
}

/// <summary>
/// One change to an incident: who changed which field from what to what. Fields: opened, status,
/// severity, assignedTo, rootCause, acknowledged.
/// </summary>
public sealed class IncidentUpdateEntity
{
    public long Id { get; set; }
    public long IncidentId { get; set; }
    public long AtMs { get; set; }
    public required string Actor { get; set; }
    public required string Field { get; set; }
    public string? FromValue { get; set; }
    public string? ToValue { get; set; }
}

/// <summary>EF Core configuration of the incident workflow tables (the shared DbContext calls this once).</summary>
public static class IncidentsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<IncidentServiceEntity>(e =>
        {
            e.ToTable("incident_services");
            e.HasKey(x => new { x.IncidentId, x.ServiceId });
            e.HasIndex(x => x.ServiceId);
            e.HasOne<IncidentEntity>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ServiceEntity>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IncidentNoteEntity>(e =>
        {
            e.ToTable("incident_notes");
            e.Property(x => x.Author).HasMaxLength(200);
            e.Property(x => x.Text).HasMaxLength(IncidentNoteEntity.MaxTextLength);
            e.HasIndex(x => new { x.IncidentId, x.AtMs });
            e.HasOne<IncidentEntity>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IncidentUpdateEntity>(e =>
        {
            e.ToTable("incident_updates");
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Field).HasMaxLength(32);
            e.HasIndex(x => new { x.IncidentId, x.AtMs });
            e.HasOne<IncidentEntity>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>Registers the incident workflow, the timeline and its store-backed sources.</summary>
public static class IncidentsRegistration
{
    public static IServiceCollection AddIncidentWorkflow(this IServiceCollection services)
    {
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<IncidentWorkflow>();
        services.AddSingleton<IncidentTimeline>();
        services.AddSingleton<ITimelineSource, CheckTimelineSource>();
        services.AddSingleton<ITimelineSource, StatusTimelineSource>();
        services.AddSingleton<ITimelineSource, IncidentHistoryTimelineSource>();
        services.AddSingleton<ITimelineSource, EventTimelineSource>();
        return services;
    }
}
