using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Monitoring.Web.Security;

/// <summary>
/// Security headers on every response, set when the response starts so that answers written by
/// the exception handler (which clears headers) and by status-code pages carry them too. A header
/// an endpoint set itself is left alone,
/// except X-Frame-Options, which is always DENY. No HSTS: the server is often self-hosted on plain http,
/// and HSTS on a name would lock browsers out of it for a year.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The dashboard path mapped in <c>MapMonitoring</c>; its pages use inline scripts.</summary>
    public const string HangfirePath = "/hangfire";

    // 'wasm-unsafe-eval' lets Blazor WebAssembly compile its runtime; it does not allow eval() of
    // JavaScript. style-src allows inline styles because MudBlazor sets style attributes; inline
    // *script* stays forbidden. ws:/wss: are for the SignalR WebSocket.
    private const string Tail = "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " + Tail;

    /// <summary>The Hangfire dashboard's pages carry inline scripts; framing stays forbidden.</summary>
    public const string HangfireContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; " + Tail;

    // ToString() is the JSON the component renders. One policy per import map (there is one per Razor components endpoint and build), computed once.
    private static readonly ConditionalWeakTable<ImportMapDefinition, string> s_importMapPolicies = new();

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            Apply((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.TryAdd("Content-Security-Policy", PolicyFor(context));
        headers.TryAdd("X-Content-Type-Options", "nosniff");
        headers.TryAdd("Referrer-Policy", "no-referrer");
        // Set, not added: antiforgery and the Hangfire dashboard say SAMEORIGIN, but nothing here is meant to be framed.
        headers.XFrameOptions = "DENY";
        headers.TryAdd("Cross-Origin-Opener-Policy", "same-origin");
    }

    internal static string PolicyFor(HttpContext context)
    {
        // Hangfire's endpoint moves its prefix into PathBase while it runs, so look at both.
        if (context.Request.PathBase.Add(context.Request.Path).StartsWithSegments(HangfirePath, StringComparison.OrdinalIgnoreCase)) return HangfireContentSecurityPolicy;
        // The <ImportMap /> of App.razor renders the endpoint's import map as an inline
        // <script type="importmap"> (JSON that maps module names to fingerprinted files, not code).
        // Allowing exactly that text by its hash keeps every other inline script forbidden.
        var importMap = context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>();
        return importMap is null ? ContentSecurityPolicy : s_importMapPolicies.GetValue(importMap, static map =>
            $"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' '{ImportMapHash(map)}'; {Tail}");
    }

    /// <summary>The CSP source expression (<c>sha256-…</c>) of the import map as the ImportMap component renders it.</summary>
    internal static string ImportMapHash(ImportMapDefinition map) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(map.ToString())));
}
