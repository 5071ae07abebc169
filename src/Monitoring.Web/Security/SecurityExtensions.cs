using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

/// <summary>
/// Authentication (session cookie for people, X-Api-Key for integrations, a display cookie for
/// wall screens) and authorization: every endpoint needs at least <see cref="Policies.CanRead"/>
/// unless it explicitly allows anonymous access.
/// </summary>
public static class SecurityExtensions
{
    public const string SessionCookie = ".Monitoring.Session";
    public const string DisplayCookie = ".Monitoring.Display";

    public static IServiceCollection AddMonitoringSecurity(this IServiceCollection services, MonitoringOptions options)
    {
        var security = options.Security;
        services.AddSingleton<SessionRevocation>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<DisplayLinks>();
        services.AddScoped<UserAccounts>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Schemes.Selector;
                o.DefaultChallengeScheme = Schemes.Selector;
                o.DefaultForbidScheme = Schemes.Selector;
            })
            .AddPolicyScheme(Schemes.Selector, "API key, session or display link", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Schemes.ApiKey, null)
            .AddCookie(Schemes.Display, o =>
            {
                o.Cookie.Name = DisplayCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromDays(365);
                o.SlidingExpiration = true;
                o.Events = CookieEvents(validate: async ctx =>
                {
                    // A revoked link ends its screens at their next request.
                    var id = ctx.Principal?.FindFirstValue(MonitoringClaims.DisplayLinkId);
                    var links = ctx.HttpContext.RequestServices.GetRequiredService<DisplayLinks>();
                    if (id is null || !long.TryParse(id, out var linkId) || !await links.IsActiveAsync(linkId, ctx.HttpContext.RequestAborted))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(Schemes.Display);
                    }
                });
            })
            .AddIdentityCookies();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = security.MinPasswordLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MonitoringDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.ExpireTimeSpan = TimeSpan.FromDays(security.SessionDays);
            o.SlidingExpiration = true;
            var identityEvents = CookieEvents(validate: SecurityStampValidator.ValidatePrincipalAsync);
            o.Events = identityEvents;
        });
        // A password change updates the security stamp; sessions are re-checked this often.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromSeconds(security.SessionRevalidateSeconds));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.CanRead, p => p.RequireAuthenticatedUser().RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.CanOperate, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.CanAdmin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.CanIngest, p => p.RequireAuthenticatedUser().RequireAssertion(ctx =>
                ctx.User.IsInRole(Roles.Operator) || ctx.User.IsInRole(Roles.Admin) ||
                ctx.User.FindFirstValue(MonitoringClaims.Scope) is ApiKeyScopes.Ingest or ApiKeyScopes.Admin))
            // Every endpoint without its own rule needs a reader: nothing is open by accident.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin).Build());
        return services;
    }

    private static string SelectScheme(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.ContainsKey(Schemes.ApiKeyHeader) || request.Query.ContainsKey("api_key") || request.Query.ContainsKey("apikey"))
            return Schemes.ApiKey;
        if (!request.Cookies.ContainsKey(SessionCookie) && request.Cookies.ContainsKey(DisplayCookie))
            return Schemes.Display;
        return IdentityConstants.ApplicationScheme;
    }

    /// <summary>API, hub and stream calls get 401/403 ProblemDetails; pages are sent to the login page.</summary>
    private static CookieAuthenticationEvents CookieEvents(Func<CookieValidatePrincipalContext, Task> validate) => new()
    {
        OnValidatePrincipal = validate,
        OnRedirectToLogin = ctx => IsMachineRequest(ctx.Request)
            ? ProblemWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required.",
                "Send an API key in the X-Api-Key header, or sign in.")
            : Redirect(ctx),
        OnRedirectToAccessDenied = ctx => ProblemWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden, "Forbidden.",
            "Your role does not allow this."),
    };

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/openapi")
        || request.Path.StartsWithSegments("/metrics") || request.Method != HttpMethods.Get
        || request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Roles exist, and the configured admin is created when nobody exists yet.</summary>
    public static async Task InitializeSecurityAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        await accounts.EnsureRolesAsync();
        await accounts.SeedAdminAsync();
    }
}
