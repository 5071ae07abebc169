using Microsoft.Data.Sqlite;
using Monitoring.Web.Data;
using SQLitePCL;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The sample writer's statements, prepared once per connection. Samples go in sorted by
/// (series, timestamp), <see cref="RowsPerStatement"/> rows per statement, bound through the
/// native API (no boxed parameter values: three binds and no allocation per sample); the rest one
/// by one. A second sample for the same (series, timestamp) replaces the first, also within one
/// batch (ties keep their arrival order).
/// </summary>
internal sealed class SampleCommands : IDisposable
{
    public const int RowsPerStatement = 100;
    private const string UpsertTail = " ON CONFLICT (SeriesId, Ts) DO UPDATE SET Value = excluded.Value";

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _many;
    private readonly sqlite3_stmt _one;
    private RowKey[] _sorted = [];

    /// <summary>A row to insert and its position in the batch (for a stable sort).</summary>
    private readonly record struct RowKey(long SeriesId, long Ts, double Value, int Index);

    private readonly struct RowOrder : IComparer<RowKey>
    {
        public int Compare(RowKey a, RowKey b)
        {
            var c = a.SeriesId.CompareTo(b.SeriesId);
            if (c != 0) return c;
            c = a.Ts.CompareTo(b.Ts);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        }
    }

    public SampleCommands(SqliteConnection connection)
    {
        _connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var values = string.Join(",", Enumerable.Range(0, RowsPerStatement).Select(i => $"(?{3 * i + 1},?{3 * i + 2},?{3 * i + 3})"));
        _many = Prepare($"INSERT INTO metric_samples (SeriesId, Ts, Value) VALUES {values}{UpsertTail}");
        _one = Prepare($"INSERT INTO metric_samples (SeriesId, Ts, Value) VALUES (?1,?2,?3){UpsertTail}");
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var stmt);
        if (rc != raw.SQLITE_OK) throw Error(rc);
        return stmt;
    }

    private SqliteException Error(int rc) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));

    /// <summary>Creates a series in the open transaction (rare: once per new series).</summary>
    public long InsertSeries(SqliteTransaction tx, string name, string service, string labelsJson, int type, long nowMs)
    {
        using var cmd = SqliteSetup.Prepare(_connection, tx,
            """
            INSERT INTO metric_series (Name, Service, LabelsJson, Type, CreatedAtMs) VALUES ($name, $service, $labels, $type, $now)
            ON CONFLICT (Name, Service, LabelsJson) DO UPDATE SET Name = excluded.Name
            RETURNING Id
            """, "$name", "$service", "$labels", "$type", "$now");
        var p = cmd.Parameters;
        p[0].Value = name;
        p[1].Value = service;
        p[2].Value = labelsJson;
        p[3].Value = type;
        p[4].Value = nowMs;
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Inserts the rows (in the open transaction) sorted by key; the span itself is left as it is.</summary>
    public void InsertSamples(ReadOnlySpan<(long SeriesId, long Ts, double Value)> rows)
    {
        if (_sorted.Length < rows.Length) _sorted = new RowKey[Math.Max(rows.Length, _sorted.Length * 2)];
        var sorted = _sorted.AsSpan(0, rows.Length);
        for (var i = 0; i < rows.Length; i++) sorted[i] = new RowKey(rows[i].SeriesId, rows[i].Ts, rows[i].Value, i);
        // Key order keeps consecutive rows on the same page: fewer page visits, better cache use.
        sorted.Sort(new RowOrder());

        var r = 0;
        for (; r + RowsPerStatement <= sorted.Length; r += RowsPerStatement)
        {
            for (var k = 0; k < RowsPerStatement; k++) Bind(_many, 3 * k + 1, sorted[r + k]);
            Step(_many);
        }
        for (; r < sorted.Length; r++)
        {
            Bind(_one, 1, sorted[r]);
            Step(_one);
        }
    }

    private static void Bind(sqlite3_stmt stmt, int first, in RowKey row)
    {
        raw.sqlite3_bind_int64(stmt, first, row.SeriesId);
        raw.sqlite3_bind_int64(stmt, first + 1, row.Ts);
        raw.sqlite3_bind_double(stmt, first + 2, row.Value);
    }

    private void Step(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc == raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(stmt);
            return;
        }
        var error = Error(rc);
        raw.sqlite3_reset(stmt);
        throw error;
    }

    public void Dispose()
    {
        _many.Dispose();
        _one.Dispose();
    }
}
