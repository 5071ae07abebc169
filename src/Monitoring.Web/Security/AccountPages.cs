using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;

namespace Monitoring.Web.Security;

/// <summary>
/// The few server-rendered pages that must work before anyone is signed in (login, first-run
/// set-up, sign-out, change password). Plain HTML forms: no script, every value HTML-encoded.
/// </summary>
internal static class AccountPages
{
    public static IResult Page(HttpContext http, string title, string id, string action, string? message, bool error, params Field[] fields)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>").Append(E(title)).Append(" · Monitoring</title><link rel=\"stylesheet\" href=\"/account.css\"></head><body>");
        sb.Append("<main class=\"account\"><h1>Monitoring</h1><h2>").Append(E(title)).Append("</h2>");
        if (message is not null)
            sb.Append("<p id=\"account-message\" class=\"").Append(error ? "error" : "info").Append("\" role=\"").Append(error ? "alert" : "status").Append("\">").Append(E(message)).Append("</p>");
        sb.Append("<form id=\"").Append(E(id)).Append("\" method=\"post\" action=\"").Append(E(action)).Append("\">");
        sb.Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken!)).Append("\">");
        foreach (var f in fields)
        {
            if (f.Type == "hidden")
            {
                sb.Append("<input type=\"hidden\" name=\"").Append(E(f.Name)).Append("\" value=\"").Append(E(f.Value ?? "")).Append("\">");
                continue;
            }
            sb.Append("<label>").Append(E(f.Label)).Append("<input type=\"").Append(E(f.Type)).Append("\" name=\"").Append(E(f.Name))
              .Append("\" id=\"").Append(E(f.Name)).Append("\" value=\"").Append(E(f.Value ?? "")).Append("\" autocomplete=\"").Append(E(f.Autocomplete)).Append("\"");
            if (f.Required) sb.Append(" required");
            sb.Append("></label>");
        }
        sb.Append("<button type=\"submit\" id=\"submit\">").Append(E(SubmitText(id))).Append("</button></form></main></body></html>");
        return Results.Content(sb.ToString(), "text/html; charset=utf-8", statusCode: error ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static string SubmitText(string id) => id switch
    {
        "login-form" => "Sign in",
        "setup-form" => "Create admin account",
        "logout-form" => "Sign out",
        _ => "Save",
    };

    /// <summary>Validates the antiforgery token of a form post (these handlers read the form themselves).</summary>
    public static Task<bool> IsValidPostAsync(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);

    public static IResult BadForm() => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form expired or was not sent from this site; reload the page and try again.");

    public sealed record Field(string Name, string Label, string Type = "text", string? Value = null, string Autocomplete = "off", bool Required = true);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
