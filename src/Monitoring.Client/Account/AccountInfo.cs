namespace Monitoring.Client.Account;

/// <summary>Who the browser is signed in as: the body of <c>GET /api/v1/account/me</c>.</summary>
public sealed record AccountInfo(string Name, string ActorType, IReadOnlyList<string> Roles, string? Scope);

/// <summary>The role names the server uses, from least to most power.</summary>
public static class RoleNames
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    /// <summary>One-line description shown next to the role in selects.</summary>
    public static string Describe(string role) => role switch
    {
        Admin => "everything, including users and keys",
        Operator => "acknowledge, change services and incidents",
        _ => "read only",
    };
}
