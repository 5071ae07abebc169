using Microsoft.Data.Sqlite;

namespace Monitoring.Web.Data;

/// <summary>
/// Retention deletes in small batches, so a writer waiting on the same file is never blocked for
/// long, and a bounded number of batches per run.
/// </summary>
public static class BatchedDelete
{
    public const int BatchSize = 5_000;
    public const int MaxBatches = 10_000; // at most 50 M rows per table per run

    /// <summary>Deletes rows of <paramref name="table"/> whose <paramref name="timeColumn"/> is before the cutoff.</summary>
    public static async Task<long> OlderThanAsync(SqliteConnection connection, string table, string timeColumn, string key, long cutoffMs, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {timeColumn} < $cutoff LIMIT {BatchSize})";
        cmd.Parameters.AddWithValue("$cutoff", cutoffMs);
        return await RepeatAsync(cmd, ct);
    }

    /// <summary>Runs a delete of at most <see cref="BatchSize"/> rows until it deletes fewer (or the bound is reached).</summary>
    public static async Task<long> RepeatAsync(SqliteCommand deleteBatch, CancellationToken ct)
    {
        long total = 0;
        for (var i = 0; i < MaxBatches; i++)
        {
            var n = await deleteBatch.ExecuteNonQueryAsync(ct);
            total += n;
            if (n < BatchSize) break;
        }
        return total;
    }
}
