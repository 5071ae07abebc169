using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

/// <summary>
/// Authenticates <c>X-Api-Key</c>. Keys in the query string are refused outright (they end up in
/// logs and browser history). The configured bootstrap key is an admin key compared in constant time.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<MonitoringDbContext> dbFactory,
    IOptions<MonitoringOptions> monitoringOptions,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string KeyKind = "mk";
    private static readonly TimeSpan s_lastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Query.Keys.Any(k => k.Equals("api_key", StringComparison.OrdinalIgnoreCase) || k.Equals("apikey", StringComparison.OrdinalIgnoreCase) || k.Equals(Schemes.ApiKeyHeader, StringComparison.OrdinalIgnoreCase)))
            return AuthenticateResult.Fail("API keys are accepted only in the X-Api-Key header, never in the query string.");
        if (!Request.Headers.TryGetValue(Schemes.ApiKeyHeader, out var values)) return AuthenticateResult.NoResult();
        var presented = values.ToString();
        if (presented.Length == 0) return AuthenticateResult.Fail("Empty API key.");

        var bootstrap = monitoringOptions.Value.Bootstrap.ApiKey;
        if (!string.IsNullOrEmpty(bootstrap) && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap))))
            return Success("bootstrap", ApiKeyScopes.Admin, keyId: null);

        var prefix = SecretTokens.PrefixOf(KeyKind, presented);
        if (prefix is null) return AuthenticateResult.Fail("Malformed API key.");
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, Context.RequestAborted);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Hash compare even when the prefix is unknown, so timing does not reveal which prefixes exist.
        var matches = SecretTokens.Matches(presented, key?.Hash ?? new byte[32]);
        if (key is null || !matches) return AuthenticateResult.Fail("Unknown API key.");
        if (key.RevokedAtMs is not null) return AuthenticateResult.Fail("This API key was revoked.");
        if (key.ExpiresAtMs is { } expires && expires <= now) return AuthenticateResult.Fail("This API key has expired.");

        if (key.LastUsedAtMs is null || now - key.LastUsedAtMs.Value >= s_lastUsedResolution.TotalMilliseconds)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtMs, now), Context.RequestAborted);
        }
        return Success(key.Name, key.Scope, key.Id);
    }

    private AuthenticateResult Success(string name, string scope, long? keyId)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, $"key:{name}"),
            new(MonitoringClaims.ActorType, "apikey"),
            new(MonitoringClaims.Scope, scope),
        };
        if (keyId is { } id) claims.Add(new Claim(MonitoringClaims.KeyId, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        claims.AddRange(ApiKeyScopes.Roles(scope).Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
        await ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required.",
            result.Failure?.Message ?? "Send an API key in the X-Api-Key header, or sign in.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden.", "This API key's scope does not allow this.");
    }
}
