using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Monitoring.Client.Admin;

namespace Monitoring.Client.Account;

/// <summary>
/// The signed-in account, asked of the server once per browser tab. Components await
/// <see cref="LoadAsync"/> (every caller shares one request) and then read the properties;
/// the server still authorizes every call, this only decides what to show.
/// </summary>
public sealed partial class CurrentUser(HttpClient http, ILogger<CurrentUser> logger)
{
    public const string MePath = "api/v1/account/me";

    private Task? _load;
    private bool _failed;

    /// <summary>Null until loaded, or when the session has ended or the server could not be reached.</summary>
    public AccountInfo? Account { get; private set; }

    public bool IsLoaded => _load is { IsCompleted: true } && !_failed;

    public bool IsSignedIn => Account is not null;

    public string Name => Account?.Name ?? "";

    public IReadOnlyList<string> Roles => Account?.Roles ?? [];

    public bool IsAdmin => Roles.Contains(RoleNames.Admin);

    public bool IsOperator => IsAdmin || Roles.Contains(RoleNames.Operator);

    /// <summary>The most powerful role, the one worth showing.</summary>
    public string Role => IsAdmin ? RoleNames.Admin : IsOperator ? RoleNames.Operator : Roles.Contains(RoleNames.Viewer) ? RoleNames.Viewer : "";

    /// <summary>Only people have a password; API keys and wall-screen links don't.</summary>
    public bool HasPassword => Account?.ActorType == "user";

    /// <summary>Loads once; later calls return the same task. A failed load is retried by the next call.</summary>
    public Task LoadAsync()
    {
        if (_load is null || (_load.IsCompleted && _failed)) _load = FetchAsync();
        return _load;
    }

    private async Task FetchAsync()
    {
        _failed = false;
        try
        {
            using var response = await http.GetAsync(MePath);
            if (response.IsSuccessStatusCode)
            {
                Account = await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.AccountInfo);
                return;
            }
            LogNotSignedIn((int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException)
        {
            LogLoadFailed(ex);
        }
        // Ask again next time: the server may be back, or the visitor may have signed in elsewhere.
        Account = null;
        _failed = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The server answered {Status} to 'who am I'; showing the app as signed out")]
    private partial void LogNotSignedIn(int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the current account failed")]
    private partial void LogLoadFailed(Exception ex);
}
