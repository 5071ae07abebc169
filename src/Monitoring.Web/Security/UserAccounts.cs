using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

public sealed record UserResponse(string Id, string UserName, string Role, DateTimeOffset CreatedAt, bool LockedOut);

/// <summary>User accounts and roles over ASP.NET Core Identity. Every user has exactly one role.</summary>
public sealed class UserAccounts(
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    SignInManager<AppUser> signIn,
    SessionRevocation sessions,
    AuditLog audit,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<UserAccounts> logger)
{
    private static readonly SemaphoreSlim s_firstAdmin = new(1, 1);

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
    }

    /// <summary>Creates the admin from <c>Monitoring:Admin:*</c> when no user exists yet.</summary>
    public async Task SeedAdminAsync()
    {
        var seed = options.Value.Admin;
        if (string.IsNullOrWhiteSpace(seed.UserName) || string.IsNullOrEmpty(seed.Password)) return;
        var (user, errors) = await CreateFirstAdminAsync(seed.UserName, seed.Password);
        if (errors is not null)
            throw new InvalidOperationException("Monitoring:Admin is invalid: " + string.Join(" ", errors.SelectMany(e => e.Value)));
        if (user is not null)
        {
            logger.LogInformation("Created the admin account {UserName} from configuration", user.UserName);
            await audit.WriteAsync(null, "user.create", $"user:{user.UserName}", new { role = Roles.Admin, seeded = true });
        }
    }

    /// <summary>Null user and null errors: a user exists already.</summary>
    public async Task<(AppUser? User, Dictionary<string, string[]>? Errors)> CreateFirstAdminAsync(string userName, string password)
    {
        await s_firstAdmin.WaitAsync();
        try
        {
            if (await users.Users.AnyAsync()) return (null, null);
            return await CreateAsync(userName, password, Roles.Admin);
        }
        finally
        {
            s_firstAdmin.Release();
        }
    }

    public async Task<(AppUser? User, Dictionary<string, string[]>? Errors)> CreateAsync(string? userName, string? password, string? role)
    {
        var errors = new Dictionary<string, string[]>();
        var normalizedRole = Roles.Normalize(role);
        if (string.IsNullOrWhiteSpace(userName)) errors["userName"] = ["User name is required."];
        if (string.IsNullOrEmpty(password)) errors["password"] = ["Password is required."];
        if (normalizedRole is null) errors["role"] = [$"Role must be one of {string.Join(", ", Roles.All)}."];
        if (errors.Count > 0) return (null, errors);

        var user = new AppUser { UserName = userName!.Trim(), CreatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        var result = await users.CreateAsync(user, password!);
        if (!result.Succeeded) return (null, ToErrors(result));
        await users.AddToRoleAsync(user, normalizedRole!);
        return (user, null);
    }

    /// <summary>Null on success. Ends the user's other sessions and live connections.</summary>
    public async Task<Dictionary<string, string[]>?> ChangeOwnPasswordAsync(HttpContext http, string currentPassword, string newPassword)
    {
        var user = await users.GetUserAsync(http.User);
        if (user is null) return new() { ["user"] = ["Only signed-in users have a password."] };
        if (string.IsNullOrEmpty(newPassword)) return new() { ["newPassword"] = ["New password is required."] };
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            await audit.WriteAsync(http, "user.password", $"user:{user.UserName}", null, success: false);
            return ToErrors(result);
        }
        // The security stamp changed, so other cookies fail their next validation; live hub
        // connections and streams are ended now. This browser gets a fresh cookie.
        var ended = sessions.Revoke("user:" + user.Id);
        if (http.User.FindFirstValue(MonitoringClaims.ActorType) is null or "user") await signIn.RefreshSignInAsync(user);
        await audit.WriteAsync(http, "user.password", $"user:{user.UserName}", new { connectionsEnded = ended });
        return null;
    }

    public async Task<List<UserResponse>> ListAsync()
    {
        var list = new List<UserResponse>();
        foreach (var user in await users.Users.OrderBy(u => u.UserName).ToListAsync())
            list.Add(await ToResponseAsync(user));
        return list;
    }

    public async Task<UserResponse> ToResponseAsync(AppUser user)
    {
        var role = (await users.GetRolesAsync(user)).OrderByDescending(r => Array.IndexOf(Roles.All, r)).FirstOrDefault() ?? Roles.Viewer;
        return new UserResponse(user.Id, user.UserName!, role, DateTimeOffset.FromUnixTimeMilliseconds(user.CreatedAtMs),
            user.LockoutEnd is { } end && end > time.GetUtcNow());
    }

    /// <summary>Changes a user's role and/or resets the password (admin). Null user: not found.</summary>
    public async Task<(UserResponse? User, Dictionary<string, string[]>? Errors)> UpdateAsync(string id, string? role, string? password)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return (null, null);
        var errors = new Dictionary<string, string[]>();
        var normalized = role is null ? null : Roles.Normalize(role);
        if (role is not null && normalized is null) errors["role"] = [$"Role must be one of {string.Join(", ", Roles.All)}."];
        if (normalized is not null && normalized != Roles.Admin && await IsLastAdminAsync(user)) errors["role"] = ["The last admin cannot lose the Admin role."];
        if (errors.Count > 0) return (null, errors);
        if (normalized is not null)
        {
            await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            await users.AddToRoleAsync(user, normalized);
            await users.UpdateSecurityStampAsync(user);
            sessions.Revoke("user:" + user.Id);
        }
        if (!string.IsNullOrEmpty(password))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var result = await users.ResetPasswordAsync(user, token, password);
            if (!result.Succeeded) return (null, ToErrors(result));
            sessions.Revoke("user:" + user.Id);
        }
        return (await ToResponseAsync(user), null);
    }

    /// <summary>False: not found. Errors: refused. Otherwise the deleted user's name.</summary>
    public async Task<(bool Found, Dictionary<string, string[]>? Errors, string? UserName)> DeleteAsync(string id, ClaimsPrincipal caller)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return (false, null, null);
        if (users.GetUserId(caller) == id) return (true, new() { ["id"] = ["You cannot delete your own account."] }, null);
        if (await IsLastAdminAsync(user)) return (true, new() { ["id"] = ["The last admin cannot be deleted."] }, null);
        await users.DeleteAsync(user);
        sessions.Revoke("user:" + user.Id);
        return (true, null, user.UserName);
    }

    private async Task<bool> IsLastAdminAsync(AppUser user) =>
        await users.IsInRoleAsync(user, Roles.Admin) && (await users.GetUsersInRoleAsync(Roles.Admin)).Count == 1;

    private static Dictionary<string, string[]> ToErrors(IdentityResult result) => result.Errors
        .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName" : "user")
        .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
