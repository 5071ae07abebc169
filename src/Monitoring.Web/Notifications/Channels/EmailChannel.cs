using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Monitoring.Web.Security;

namespace Monitoring.Web.Notifications.Channels;

/// <summary>
/// SMTP through MailKit, over a socket the outbound policy opened. Settings: host, port (default 587,
/// or 25 without TLS), from, to (comma-separated), useTls (true: STARTTLS, or TLS on connect at port
/// 465; false: plain; unset: STARTTLS when offered), subject (template). Secrets: username, password.
/// The Message-ID is derived from the idempotency key, so a re-sent mail is recognisable as the same one.
/// </summary>
public sealed class EmailChannel(OutboundPolicy outbound) : INotificationChannel
{
    public string Type => "email";
    public IReadOnlyList<string> SecretNames { get; } = ["username", "password"];

    public void Validate(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        var host = settings.GetValueOrDefault("host");
        if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host.Trim()) == UriHostNameType.Unknown)
            errors["settings.host"] = ["Required: the SMTP server's host name or address."];
        if (settings.GetValueOrDefault("port") is { Length: > 0 } port && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535))
            errors["settings.port"] = ["Must be a port number from 1 to 65535."];
        if (settings.GetValueOrDefault("useTls") is { Length: > 0 } tls && !bool.TryParse(tls, out _))
            errors["settings.useTls"] = ["Must be true or false."];
        if (!MailboxAddress.TryParse(settings.GetValueOrDefault("from") ?? "", out var from) || !from.Address.Contains('@'))
            errors["settings.from"] = ["Required: a valid email address."];
        var to = Recipients(settings.GetValueOrDefault("to"));
        if (to.Count == 0) errors["settings.to"] = ["Required: one or more email addresses, comma-separated."];
        else if (to.FirstOrDefault(a => !MailboxAddress.TryParse(a, out var m) || !m.Address.Contains('@')) is { } bad)
            errors["settings.to"] = [$"'{bad}' is not a valid email address."];
        else if (to.Count > 50) errors["settings.to"] = ["At most 50 recipients."];
        NotificationTemplate.Validate(settings.GetValueOrDefault("subject"), "settings.subject", errors);
        if (!string.IsNullOrEmpty(secrets.GetValueOrDefault("password")) && string.IsNullOrEmpty(secrets.GetValueOrDefault("username")))
            errors["secrets.username"] = ["A password needs a username."];
    }

    public static List<string> Recipients(string? value) =>
        [.. (value ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public async Task<DeliveryResult> SendAsync(NotificationMessage message, ChannelConfig channel, string idempotencyKey, CancellationToken cancellationToken)
    {
        var host = channel.Setting("host");
        if (host is null || channel.Setting("from") is not { } from) return DeliveryResult.Fail("The channel has no host or from address.", retryable: false);
        bool? useTls = bool.TryParse(channel.Setting("useTls"), out var t) ? t : null;
        var port = int.TryParse(channel.Setting("port"), CultureInfo.InvariantCulture, out var p) ? p : useTls == false ? 25 : 587;
        var security = useTls switch
        {
            false => SecureSocketOptions.None,
            true when port == 465 => SecureSocketOptions.SslOnConnect,
            true => SecureSocketOptions.StartTls,
            null => SecureSocketOptions.StartTlsWhenAvailable,
        };

        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(from));
        foreach (var to in Recipients(channel.Setting("to"))) mail.To.Add(MailboxAddress.Parse(to));
        mail.Subject = channel.Setting("subject") is { } subject ? NotificationTemplate.Render(subject, message, json: false) : NotificationTemplate.Summary(message);
        mail.MessageId = MessageId(idempotencyKey, mail.From.Mailboxes.First().Domain);
        mail.Headers.Add("Idempotency-Key", idempotencyKey);
        mail.Date = message.At;
        mail.Body = new TextPart("plain") { Text = Body(message) };

        using var smtp = new SmtpClient { Timeout = 30_000 };
        try
        {
            var socket = await outbound.ConnectAsync(host, port, cancellationToken);
            await smtp.ConnectAsync(socket, host, port, security, cancellationToken);
            if (channel.Secret("username") is { } user) await smtp.AuthenticateAsync(user, channel.Secret("password") ?? "", cancellationToken);
            await smtp.SendAsync(mail, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return DeliveryResult.Ok(250);
        }
        catch (OutboundBlockedException ex)
        {
            return DeliveryResult.Fail($"Blocked by the outbound policy: {ex.Message}", retryable: false);
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            return DeliveryResult.Fail($"The SMTP server answered {code}: {ex.Message}", code, retryable: code < 500);
        }
        catch (AuthenticationException)
        {
            return DeliveryResult.Fail("The SMTP server refused the credentials.", retryable: false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or SmtpProtocolException or SslHandshakeException or TimeoutException)
        {
            return DeliveryResult.Fail($"Could not deliver to the SMTP server: {ex.Message}");
        }
    }

    /// <summary>A stable Message-ID for one delivery: a hash of the idempotency key (keys can hold characters an id cannot).</summary>
    public static string MessageId(string idempotencyKey, string domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        return $"{hash}@{(string.IsNullOrEmpty(domain) ? "monitoring" : domain)}";
    }

    private static string Body(NotificationMessage m)
    {
        var a = m.Alert;
        var sb = new StringBuilder();
        sb.AppendLine(NotificationTemplate.Summary(m)).AppendLine();
        sb.Append("Rule:      ").AppendLine(a.RuleName);
        sb.Append("Severity:  ").AppendLine(a.Severity);
        sb.Append("State:     ").AppendLine(a.State);
        if (a.Value is { } v) sb.Append("Value:     ").AppendLine(v.ToString("G", CultureInfo.InvariantCulture));
        sb.Append("Started:   ").AppendLine(NotificationTemplate.Value("alert.startedAt", m));
        foreach (var (k, val) in a.Labels) sb.Append("Label ").Append(k).Append(": ").AppendLine(val);
        if (!string.IsNullOrEmpty(m.Url)) sb.AppendLine().AppendLine(m.Url);
        sb.AppendLine().Append("Event: ").AppendLine(m.EventKey);
        return sb.ToString();
    }
}
