using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Services;

namespace Monitoring.Web.Security;

public sealed record CreateUserRequest(string? UserName, string? Password, string? Role);
public sealed record UpdateUserRequest(string? Role, string? Password);
public sealed record CreateApiKeyRequest(string? Name, string? Scope, DateTimeOffset? ExpiresAt);
public sealed record CreateDisplayLinkRequest(string? Name, long? DashboardId);
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string ActorType, string Actor, string Action, string? Target, string? Detail, string? RemoteIp, string? RequestId, bool Success);

/// <summary>Admin-only: users, API keys, display links and the audit log.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.CanAdmin);
        users.MapGet("/", async (UserAccounts accounts) => TypedResults.Ok(await accounts.ListAsync())).WithName("ListUsers");
        users.MapPost("/", CreateUser).WithName("CreateUser");
        users.MapPut("/{id}", UpdateUser).WithName("UpdateUser");
        users.MapDelete("/{id}", DeleteUser).WithName("DeleteUser");

        var keys = app.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.CanAdmin);
        keys.MapGet("/", async (ApiKeys k, CancellationToken ct) => TypedResults.Ok(await k.ListAsync(ct))).WithName("ListApiKeys");
        keys.MapPost("/", CreateApiKey).WithName("CreateApiKey").WithSummary("Create a key; the secret is in this response only");
        keys.MapDelete("/{id:long}", RevokeApiKey).WithName("RevokeApiKey");

        var links = app.MapGroup("/api/v1/display-links").WithTags("Display links").RequireAuthorization(Policies.CanAdmin);
        links.MapGet("/", async (DisplayLinks l, CancellationToken ct) => TypedResults.Ok(await l.ListAsync(ct))).WithName("ListDisplayLinks");
        links.MapPost("/", CreateDisplayLink).WithName("CreateDisplayLink").WithSummary("Create a read-only wall-screen link; the URL is in this response only");
        links.MapDelete("/{id:long}", RevokeDisplayLink).WithName("RevokeDisplayLink");

        app.MapGet("/api/v1/audit", QueryAudit).WithTags("Audit").RequireAuthorization(Policies.CanAdmin).WithName("QueryAudit")
            .WithSummary("Audit log, newest first; filters actor, action, from, to");
        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem>> CreateUser(HttpContext http, UserAccounts accounts, AuditLog audit)
    {
        var (body, bodyErrors) = await JsonBody.ReadAsync<CreateUserRequest>(http.Request, http.RequestAborted);
        if (body is null) return ProblemResults.Validation(bodyErrors!);
        var (user, errors) = await accounts.CreateAsync(body.UserName, body.Password, body.Role);
        if (user is null) return ProblemResults.Validation(errors!);
        var response = await accounts.ToResponseAsync(user);
        await audit.WriteAsync(http, "user.create", $"user:{user.UserName}", new { role = response.Role });
        return TypedResults.Created($"/api/v1/users/{user.Id}", response);
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateUser(string id, HttpContext http, UserAccounts accounts, AuditLog audit)
    {
        var (body, bodyErrors) = await JsonBody.ReadAsync<UpdateUserRequest>(http.Request, http.RequestAborted);
        if (body is null) return ProblemResults.Validation(bodyErrors!);
        var (user, errors) = await accounts.UpdateAsync(id, body.Role, body.Password);
        if (errors is not null) return ProblemResults.Validation(errors);
        if (user is null) return ProblemResults.NotFound("User", id);
        await audit.WriteAsync(http, "user.update", $"user:{user.UserName}", new { role = body.Role, passwordReset = body.Password is not null });
        return TypedResults.Ok(user);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteUser(string id, HttpContext http, UserAccounts accounts, AuditLog audit)
    {
        var (found, errors, userName) = await accounts.DeleteAsync(id, http.User);
        if (!found) return ProblemResults.NotFound("User", id);
        if (errors is not null) return ProblemResults.Validation(errors);
        await audit.WriteAsync(http, "user.delete", $"user:{userName}", new { id });
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<ApiKeyResponse>, ValidationProblem>> CreateApiKey(HttpContext http, ApiKeys keys, AuditLog audit, TimeProvider time)
    {
        var (body, bodyErrors) = await JsonBody.ReadAsync<CreateApiKeyRequest>(http.Request, http.RequestAborted);
        if (body is null) return ProblemResults.Validation(bodyErrors!);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100) errors["name"] = ["Name is required (at most 100 characters)."];
        if (body.Scope is null || !ApiKeyScopes.All.Contains(body.Scope)) errors["scope"] = [$"Scope must be one of {string.Join(", ", ApiKeyScopes.All)}."];
        if (body.ExpiresAt is { } exp && exp <= time.GetUtcNow()) errors["expiresAt"] = ["Expiry must be in the future."];
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        var created = await keys.CreateAsync(body.Name!.Trim(), body.Scope!, body.ExpiresAt?.ToUnixTimeMilliseconds(), AuditLog.Describe(http.User).Name, http.RequestAborted);
        await audit.WriteAsync(http, "apikey.create", $"apikey:{created.Id}", new { created.Name, created.Scope });
        return TypedResults.Created($"/api/v1/api-keys/{created.Id}", created);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(long id, HttpContext http, ApiKeys keys, AuditLog audit)
    {
        if (!await keys.RevokeAsync(id, http.RequestAborted)) return ProblemResults.NotFound("API key", id);
        await audit.WriteAsync(http, "apikey.revoke", $"apikey:{id}");
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<DisplayLinkResponse>, ValidationProblem>> CreateDisplayLink(HttpContext http, DisplayLinks links, AuditLog audit)
    {
        var (body, bodyErrors) = await JsonBody.ReadAsync<CreateDisplayLinkRequest>(http.Request, http.RequestAborted);
        if (body is null) return ProblemResults.Validation(bodyErrors!);
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["name"] = ["Name is required (at most 100 characters)."] });
        var created = await links.CreateAsync(body.Name.Trim(), body.DashboardId, AuditLog.Describe(http.User).Name, http.RequestAborted);
        await audit.WriteAsync(http, "displaylink.create", $"displaylink:{created.Id}", new { created.Name, created.DashboardId });
        return TypedResults.Created($"/api/v1/display-links/{created.Id}", created);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeDisplayLink(long id, HttpContext http, DisplayLinks links, AuditLog audit)
    {
        if (!await links.RevokeAsync(id, http.RequestAborted)) return ProblemResults.NotFound("Display link", id);
        await audit.WriteAsync(http, "displaylink.revoke", $"displaylink:{id}");
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<AuditEntryResponse>>, ValidationProblem>> QueryAudit(
        string? actor, string? action, string? from, string? to, int? limit, int? offset, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromMs = QueryParsing.ParseTime(from, "from", errors);
        var toMs = QueryParsing.ParseTime(to, "to", errors);
        ServicesApi.TryPage(limit, offset, errors, out var take, out var skip);
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking().AsQueryable();
        if (!string.IsNullOrEmpty(actor)) q = q.Where(e => e.Actor == actor);
        if (!string.IsNullOrEmpty(action)) q = q.Where(e => e.Action.StartsWith(action));
        if (fromMs is { } f) q = q.Where(e => e.AtMs >= f);
        if (toMs is { } t) q = q.Where(e => e.AtMs <= t);
        var rows = await q.OrderByDescending(e => e.AtMs).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(e => new AuditEntryResponse(e.Id, DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs), e.ActorType, e.Actor,
            e.Action, e.Target, e.Detail, e.RemoteIp, e.RequestId, e.Success)).ToList());
    }
}
