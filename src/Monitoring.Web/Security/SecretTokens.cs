using System.Security.Cryptography;
using System.Text;

namespace Monitoring.Web.Security;

/// <summary>
/// Long random secrets of the form <c>{kind}_{prefix}_{secret}</c>. The prefix (not secret) finds
/// the stored row; only a SHA-256 of the whole token is stored and it is compared in constant time.
/// A fast hash is right here: the secret has 256 bits of entropy, so there is nothing to brute-force.
/// </summary>
public static class SecretTokens
{
    public static (string Token, string Prefix, byte[] Hash) Create(string kind)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = $"{kind}_{prefix}_{secret}";
        return (token, prefix, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The prefix of a well-formed token of this kind, else null.</summary>
    public static string? PrefixOf(string kind, string? token)
    {
        if (token is null || token.Length > 200 || !token.StartsWith(kind + "_", StringComparison.Ordinal)) return null;
        var parts = token.Split('_');
        return parts.Length == 3 && parts[1].Length == 12 ? parts[1] : null;
    }

    public static bool Matches(string token, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(token), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '.');
}
