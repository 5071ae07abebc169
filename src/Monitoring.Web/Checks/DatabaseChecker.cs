using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// Opens the database named by a connection string and runs a trivial query. Only SQLite
/// (<c>Data Source=path</c>) is supported in this build; other providers are reported as such
/// rather than guessed at. A SQLite file is opened read-only unless the string sets <c>Mode</c>,
/// so a typo in a path is reported instead of creating an empty database there; pooling is
/// off so a deleted or replaced file is noticed.
/// </summary>
public sealed class DatabaseChecker : IChecker
{
    public ServiceType Type => ServiceType.Database;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        SqliteConnectionStringBuilder builder;
        try
        {
            // The SQLite builder rejects keywords it does not know (Server, Host, Initial Catalog, ...).
            builder = new SqliteConnectionStringBuilder(service.Target);
        }
        catch (ArgumentException)
        {
            return CheckOutcome.Down(0, "Unsupported database provider: only SQLite connection strings (Data Source=...) are supported.");
        }
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            return CheckOutcome.Down(0, "Unsupported database provider: only SQLite connection strings (Data Source=...) are supported.");

        var raw = new DbConnectionStringBuilder { ConnectionString = service.Target };
        if (!raw.ContainsKey("Mode")) builder.Mode = SqliteOpenMode.ReadOnly;
        builder.Pooling = false;

        try
        {
            await using var connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // SELECT 1 alone never reads the file; the schema count proves it is a database.
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"SQLite '{builder.DataSource}': {ex.Message}");
        }
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return service.OfKind(ConditionRules.LatencyMs).FirstOrDefault(c => !c.Holds(latency, "<=")) is { } slow
            ? CheckOutcome.Down(latency, slow.Failed($"{latency:F0} ms", "<="))
            : CheckOutcome.Up(latency, $"SQLite '{builder.DataSource}' answered.");
    }
}
