using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Core.Notifications;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Notifications;

/// <summary>
/// <c>/api/v1/notification-channels</c>. Operators may read (secrets are never returned); changes and
/// tests need an admin, since channels hold secrets and reach outside.
/// </summary>
public static class NotificationChannelsApi
{
    public static IEndpointRouteBuilder MapNotificationChannelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/notification-channels").WithTags("Notifications").RequireAuthorization(Policies.CanOperate);
        api.MapGet("/", ListChannels).WithName("ListNotificationChannels").WithSummary("Notification channels (secrets are listed by name only)");
        api.MapGet("/{id:long}", GetChannel).WithName("GetNotificationChannel").WithSummary("One channel");
        api.MapPost("/", CreateChannel).WithName("CreateNotificationChannel").WithSummary("Add a channel").Accepts<NotificationChannelInput>("application/json").RequireAuthorization(Policies.CanAdmin);
        api.MapPut("/{id:long}", UpdateChannel).WithName("UpdateNotificationChannel").WithSummary("Change a channel; omitted secrets keep their value, an empty string clears one").Accepts<NotificationChannelInput>("application/json").RequireAuthorization(Policies.CanAdmin);
        api.MapDelete("/{id:long}", DeleteChannel).WithName("DeleteNotificationChannel").WithSummary("Remove a channel and its undelivered notifications").RequireAuthorization(Policies.CanAdmin);
        api.MapPost("/{id:long}/test", TestChannel).WithName("TestNotificationChannel").WithSummary("Send a test message now; 200 with delivered=false and the error when the receiver failed").RequireAuthorization(Policies.CanAdmin);
        return app;
    }

    public static async Task<Results<Ok<List<NotificationChannelDto>>, ValidationProblem>> ListChannels(int? limit, int? offset, ChannelCatalog catalog, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ServicesApi.TryPage(limit, offset, errors, out var take, out var skip)) return ProblemResults.Validation(errors);
        return TypedResults.Ok(await catalog.ListAsync(take, skip, ct));
    }

    public static async Task<Results<Ok<NotificationChannelDto>, ProblemHttpResult>> GetChannel(long id, ChannelCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(id, ct) is { } channel ? TypedResults.Ok(channel) : ProblemResults.NotFound("Notification channel", id);

    public static async Task<Results<Created<NotificationChannelDto>, ValidationProblem>> CreateChannel(
        HttpRequest request, ChannelCatalog catalog, AuditLog audit, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<NotificationChannelInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        var (channel, errors, secretsChanged) = await catalog.SaveAsync(null, input, ct);
        if (channel is null) return ProblemResults.Validation(errors);
        await audit.WriteAsync(request.HttpContext, "notification-channel.create", $"notification-channel:{channel.Id}",
            new { channel.Name, channel.Type, channel.Enabled, secretsSet = secretsChanged });
        return TypedResults.Created($"/api/v1/notification-channels/{channel.Id}", channel);
    }

    public static async Task<Results<Ok<NotificationChannelDto>, ValidationProblem, ProblemHttpResult>> UpdateChannel(
        long id, HttpRequest request, ChannelCatalog catalog, AuditLog audit, CancellationToken ct)
    {
        if (await catalog.GetAsync(id, ct) is null) return ProblemResults.NotFound("Notification channel", id);
        var (input, bodyErrors) = await JsonBody.ReadAsync<NotificationChannelInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        var (channel, errors, secretsChanged) = await catalog.SaveAsync(id, input, ct);
        if (channel is null)
            return errors.Count > 0 ? ProblemResults.Validation(errors) : ProblemResults.NotFound("Notification channel", id);
        await audit.WriteAsync(request.HttpContext, "notification-channel.update", $"notification-channel:{id}",
            new { channel.Name, channel.Type, channel.Enabled, secretsChanged }); // names of changed secrets, never values
        return TypedResults.Ok(channel);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteChannel(long id, ChannelCatalog catalog, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (await catalog.DeleteAsync(id, ct) is not { } deleted) return ProblemResults.NotFound("Notification channel", id);
        await audit.WriteAsync(http, "notification-channel.delete", $"notification-channel:{id}", new { deleted.Name, deleted.Type });
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ChannelTestResult>, ProblemHttpResult>> TestChannel(long id, ChannelCatalog catalog, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (await catalog.TestAsync(id, ct) is not { } result) return ProblemResults.NotFound("Notification channel", id);
        await audit.WriteAsync(http, "notification-channel.test", $"notification-channel:{id}", new { result.Delivered, result.StatusCode }, success: result.Delivered);
        return TypedResults.Ok(result);
    }
}
