namespace Monitoring.Web.Security;

/// <summary>Rate limits, size limits and origins (<c>Monitoring:Abuse</c>).</summary>
public sealed class AbuseOptions
{
}
