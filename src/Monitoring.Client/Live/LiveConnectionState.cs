namespace Monitoring.Client.Live;

/// <summary>How the browser's live connection to the hub stands, as the app bar shows it.</summary>
public enum LiveConnectionState
{
    /// <summary>The first connection attempt has not succeeded yet.</summary>
    Connecting,
    /// <summary>Connected; updates arrive as they happen.</summary>
    Live,
    /// <summary>The connection dropped and is being re-established; the data shown may be stale.</summary>
    Reconnecting,
    /// <summary>Not connected and waiting before the next attempt.</summary>
    Disconnected,
}
