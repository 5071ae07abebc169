using System.Text;
using Monitoring.Web.Security;

namespace Monitoring.Web.Notifications.Channels;

/// <summary>The one way HTTP channels post: the named client (outbound policy, no logging of URLs), an <c>Idempotency-Key</c> header.</summary>
public static class HttpDelivery
{
    public const string ClientName = "notifications";

    public static async Task<DeliveryResult> PostAsync(IHttpClientFactory factory, string url, string body, string contentType,
        string idempotencyKey, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        foreach (var (name, value) in headers ?? [])
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await factory.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return DeliveryResult.FromHttp((int)response.StatusCode, response.ReasonPhrase);
        }
        catch (Exception ex) when (OutboundPolicy.FindBlocked(ex) is { } blocked)
        {
            return DeliveryResult.Fail($"Blocked by the outbound policy: {blocked.Message}", retryable: false);
        }
        catch (HttpRequestException ex)
        {
            // The message names host and port at most, never the path (a Slack URL's path is its secret).
            return DeliveryResult.Fail($"Could not reach the receiver: {ex.HttpRequestError} ({ex.InnerException?.Message ?? ex.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Fail("The receiver did not answer in time.");
        }
    }

    /// <summary>Validation of an absolute http(s) URL field; <paramref name="secret"/> keeps the value out of the message.</summary>
    public static void RequireUrl(string? value, string field, IDictionary<string, string[]> errors, bool required = true, bool secret = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors[field] = ["Required: an absolute http or https URL."];
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            errors[field] = [secret ? "Must be an absolute http or https URL." : $"'{value}' is not an absolute http or https URL."];
        else if (!string.IsNullOrEmpty(uri.UserInfo))
            errors[field] = ["Credentials in the URL are not allowed; use the channel's secrets."];
    }
}
