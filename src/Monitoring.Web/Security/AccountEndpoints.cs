using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using static Monitoring.Web.Security.AccountPages;

namespace Monitoring.Web.Security;

public sealed record MeResponse(string Name, string ActorType, IReadOnlyList<string> Roles, string? Scope);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Sign-in, first-run set-up, sign-out, password change and display links.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").WithTags("Account").ExcludeFromDescription();
        pages.MapGet("/login", LoginPage).AllowAnonymous();
        pages.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Login);
        pages.MapGet("/setup", SetupPage).AllowAnonymous();
        pages.MapPost("/setup", Setup).AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Login);
        pages.MapGet("/logout", LogoutPage).AllowAnonymous();
        pages.MapPost("/logout", Logout).AllowAnonymous();
        pages.MapGet("/account/password", PasswordPage).RequireAuthorization(Policies.CanRead);
        pages.MapPost("/account/password", ChangePasswordForm).RequireAuthorization(Policies.CanRead);
        pages.MapGet("/display/{token}", OpenDisplayLink).AllowAnonymous();

        var api = app.MapGroup("/api/v1/account").WithTags("Account");
        api.MapGet("/me", Me).RequireAuthorization().WithName("Me").WithSummary("Who the caller is");
        api.MapPost("/password", ChangePassword).RequireAuthorization(Policies.CanRead).WithName("ChangePassword")
            .WithSummary("Change your password; ends your other sessions and live connections");
        return app;
    }

    private static async Task<bool> AnyUserAsync(UserManager<AppUser> users) => await users.Users.AnyAsync();

    public static async Task<IResult> LoginPage(HttpContext http, UserManager<AppUser> users, string? returnUrl, string? message)
    {
        if (!await AnyUserAsync(users)) return Results.Redirect("/setup");
        return Page(http, "Sign in", "login-form", "/login", message, false,
            new Field("userName", "User name", Autocomplete: "username"),
            new Field("password", "Password", "password", Autocomplete: "current-password"),
            new Field("returnUrl", "", "hidden", SafeReturnUrl(returnUrl)));
    }

    public static async Task<IResult> Login(HttpContext http, SignInManager<AppUser> signIn, AuditLog audit)
    {
        if (!await IsValidPostAsync(http)) return BadForm();
        var form = await http.Request.ReadFormAsync();
        string userName = form["userName"].ToString().Trim(), password = form["password"].ToString();
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var result = userName.Length == 0 || password.Length == 0
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(userName, password, isPersistent: true, lockoutOnFailure: true);
        await audit.WriteAsync(http, "login", $"user:{userName}", new { result = result.Succeeded ? "ok" : result.IsLockedOut ? "locked-out" : "failed" },
            result.Succeeded, actorOverride: userName.Length > 0 ? userName : "anonymous");
        if (result.Succeeded) return Results.LocalRedirect(returnUrl);
        var message = result.IsLockedOut ? "Too many failed attempts: this account is locked for a while." : "Wrong user name or password.";
        return Page(http, "Sign in", "login-form", "/login", message, true,
            new Field("userName", "User name", Value: userName, Autocomplete: "username"),
            new Field("password", "Password", "password", Autocomplete: "current-password"),
            new Field("returnUrl", "", "hidden", returnUrl));
    }

    public static async Task<IResult> SetupPage(HttpContext http, UserManager<AppUser> users)
    {
        if (await AnyUserAsync(users)) return Results.Redirect("/login");
        return Page(http, "Create the first admin account", "setup-form", "/setup", "No account exists yet: the first one is the administrator.", false,
            new Field("userName", "User name", Autocomplete: "username"),
            new Field("password", "Password", "password", Autocomplete: "new-password"),
            new Field("confirm", "Repeat password", "password", Autocomplete: "new-password"));
    }

    public static async Task<IResult> Setup(HttpContext http, UserManager<AppUser> users, SignInManager<AppUser> signIn, UserAccounts accounts, AuditLog audit)
    {
        if (!await IsValidPostAsync(http)) return BadForm();
        var form = await http.Request.ReadFormAsync();
        string userName = form["userName"].ToString().Trim(), password = form["password"].ToString();
        if (password != form["confirm"].ToString())
            return SetupError(http, userName, "The passwords do not match.");
        // The check and the creation are serialised, so two racing first visitors cannot both become admin.
        var (user, errors) = await accounts.CreateFirstAdminAsync(userName, password);
        if (user is null)
        {
            if (errors is null) return Results.Redirect("/login");
            return SetupError(http, userName, string.Join(" ", errors.SelectMany(e => e.Value)));
        }
        await signIn.SignInAsync(user, isPersistent: true);
        await audit.WriteAsync(http, "user.create", $"user:{user.UserName}", new { role = Roles.Admin, firstRun = true }, actorOverride: user.UserName);
        return Results.LocalRedirect("/");
    }

    private static IResult SetupError(HttpContext http, string userName, string message) =>
        Page(http, "Create the first admin account", "setup-form", "/setup", message, true,
            new Field("userName", "User name", Value: userName, Autocomplete: "username"),
            new Field("password", "Password", "password", Autocomplete: "new-password"),
            new Field("confirm", "Repeat password", "password", Autocomplete: "new-password"));

    public static IResult LogoutPage(HttpContext http) =>
        Page(http, "Sign out", "logout-form", "/logout", null, false);

    public static async Task<IResult> Logout(HttpContext http, AuditLog audit)
    {
        if (!await IsValidPostAsync(http)) return BadForm();
        if (http.User.Identity?.IsAuthenticated == true) await audit.WriteAsync(http, "logout", null);
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        await http.SignOutAsync(Schemes.Display);
        return Results.Redirect("/login?message=Signed%20out.");
    }

    public static IResult PasswordPage(HttpContext http) =>
        Page(http, "Change password", "password-form", "/account/password", "Changing your password signs out your other sessions.", false,
            new Field("currentPassword", "Current password", "password", Autocomplete: "current-password"),
            new Field("newPassword", "New password", "password", Autocomplete: "new-password"));

    public static async Task<IResult> ChangePasswordForm(HttpContext http, UserAccounts accounts)
    {
        if (!await IsValidPostAsync(http)) return BadForm();
        var form = await http.Request.ReadFormAsync();
        var errors = await accounts.ChangeOwnPasswordAsync(http, form["currentPassword"].ToString(), form["newPassword"].ToString());
        return Page(http, "Change password", "password-form", "/account/password",
            errors is null ? "Password changed. Your other sessions were signed out." : string.Join(" ", errors.SelectMany(e => e.Value)), errors is not null,
            new Field("currentPassword", "Current password", "password", Autocomplete: "current-password"),
            new Field("newPassword", "New password", "password", Autocomplete: "new-password"));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(HttpContext http, UserAccounts accounts)
    {
        var (body, bodyErrors) = await JsonBody.ReadAsync<ChangePasswordRequest>(http.Request, http.RequestAborted);
        if (body is null) return ProblemResults.Validation(bodyErrors!);
        if (http.User.FindFirstValue(MonitoringClaims.ActorType) is "apikey" or "display")
            return ProblemResults.Status(StatusCodes.Status403Forbidden, "Only signed-in users have a password.");
        var errors = await accounts.ChangeOwnPasswordAsync(http, body.CurrentPassword ?? "", body.NewPassword ?? "");
        return errors is null ? TypedResults.NoContent() : ProblemResults.Validation(errors);
    }

    public static Ok<MeResponse> Me(ClaimsPrincipal user)
    {
        var (type, name) = AuditLog.Describe(user);
        return TypedResults.Ok(new MeResponse(name, type, user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToList(), user.FindFirstValue(MonitoringClaims.Scope)));
    }

    public static async Task<IResult> OpenDisplayLink(string token, HttpContext http, DisplayLinks links)
    {
        var link = await links.ValidateAsync(token, http.RequestAborted);
        if (link is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown or revoked display link.");
        await http.SignInAsync(Schemes.Display, DisplayLinks.Principal(link), new AuthenticationProperties { IsPersistent = true });
        return Results.Redirect(link.DashboardId is { } d ? $"/?dashboard={d}" : "/");
    }

    private static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
