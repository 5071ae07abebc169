using Microsoft.Data.Sqlite;
using Monitoring.Web.Data;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The sample writer's prepared statements for one transaction. Samples are inserted
/// <see cref="RowsPerStatement"/> rows per statement (one VM run instead of 64), the rest one by
/// one at <see cref="Flush"/>. A second sample for the same (series, timestamp) replaces the first.
/// </summary>
internal sealed class SampleCommands : IDisposable
{
    public const int RowsPerStatement = 64;
    private const string UpsertTail = " ON CONFLICT (SeriesId, Ts) DO UPDATE SET Value = excluded.Value";

    private readonly SqliteCommand _insertMany;
    private readonly SqliteCommand _insertOne;
    private readonly SqliteCommand _insertSeries;
    private readonly SqliteParameter[] _many;
    private int _buffered;

    public SampleCommands(SqliteConnection connection, SqliteTransaction tx)
    {
        var values = string.Join(",", Enumerable.Range(0, RowsPerStatement).Select(i => $"($s{i},$t{i},$v{i})"));
        _insertMany = SqliteSetup.Prepare(connection, tx, $"INSERT INTO metric_samples (SeriesId, Ts, Value) VALUES {values}{UpsertTail}",
            Enumerable.Range(0, RowsPerStatement).SelectMany(i => new[] { $"$s{i}", $"$t{i}", $"$v{i}" }).ToArray());
        _many = _insertMany.Parameters.Cast<SqliteParameter>().ToArray();
        _insertOne = SqliteSetup.Prepare(connection, tx, $"INSERT INTO metric_samples (SeriesId, Ts, Value) VALUES ($s,$t,$v){UpsertTail}", "$s", "$t", "$v");
        _insertSeries = SqliteSetup.Prepare(connection, tx,
            """
            INSERT INTO metric_series (Name, Service, LabelsJson, Type, CreatedAtMs) VALUES ($name, $service, $labels, $type, $now)
            ON CONFLICT (Name, Service, LabelsJson) DO UPDATE SET Name = excluded.Name
            RETURNING Id
            """, "$name", "$service", "$labels", "$type", "$now");
    }

    public long InsertSeries(string name, string service, string labelsJson, int type, long nowMs)
    {
        var p = _insertSeries.Parameters;
        p[0].Value = name;
        p[1].Value = service;
        p[2].Value = labelsJson;
        p[3].Value = type;
        p[4].Value = nowMs;
        return (long)_insertSeries.ExecuteScalar()!;
    }

    public void InsertSample(long seriesId, long ts, double value)
    {
        var i = _buffered * 3;
        _many[i].Value = seriesId;
        _many[i + 1].Value = ts;
        _many[i + 2].Value = value;
        if (++_buffered < RowsPerStatement) return;
        _insertMany.ExecuteNonQuery();
        _buffered = 0;
    }

    /// <summary>Writes the rows still buffered.</summary>
    public void Flush()
    {
        var p = _insertOne.Parameters;
        for (var r = 0; r < _buffered; r++)
        {
            p[0].Value = _many[r * 3].Value;
            p[1].Value = _many[r * 3 + 1].Value;
            p[2].Value = _many[r * 3 + 2].Value;
            _insertOne.ExecuteNonQuery();
        }
        _buffered = 0;
    }

    public void Dispose()
    {
        _insertMany.Dispose();
        _insertOne.Dispose();
        _insertSeries.Dispose();
    }
}
