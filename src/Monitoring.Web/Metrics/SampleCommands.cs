using Microsoft.Data.Sqlite;
using Monitoring.Web.Data;
using SQLitePCL;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The sample writer's statements, prepared once per connection. A group commit's samples go into
/// ONE <c>metric_ingest_log</c> row (packed by <see cref="SampleCodec.EncodeLog"/>, bound through
/// the native API), so a commit costs a few pages whatever the number of series.
/// </summary>
internal sealed class SampleCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _appendLog;
    private readonly ByteWriter _payload = new(64 * 1024);

    public SampleCommands(SqliteConnection connection)
    {
        _connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _appendLog = Prepare("INSERT INTO metric_ingest_log (Count, Payload) VALUES (?1, ?2)");
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

    /// <summary>Appends the rows as one log row (in the open transaction); returns its id.</summary>
    public long AppendLog(ReadOnlySpan<(long SeriesId, long Ts, double Value)> rows)
    {
        _payload.Clear();
        SampleCodec.EncodeLog(_payload, rows);
        raw.sqlite3_bind_int64(_appendLog, 1, rows.Length);
        raw.sqlite3_bind_blob(_appendLog, 2, _payload.Written);
        Step(_appendLog);
        return raw.sqlite3_last_insert_rowid(_db);
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
        _appendLog.Dispose();
    }
}
