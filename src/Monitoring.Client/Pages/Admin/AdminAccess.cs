namespace Monitoring.Client.Pages.Admin;

/// <summary>Whether the admin page may show its content.</summary>
public enum AdminAccess
{
    /// <summary>Still asking the server who this is.</summary>
    Checking,
    Allowed,
    /// <summary>Signed in without the Admin role (or the server said 403).</summary>
    Denied,
    /// <summary>The session ended or the server could not be reached.</summary>
    SignedOut,
}
