using System.Data.Common;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace CleverSyncSOS.Sync.Changes;

/// <summary>
/// Appends a run's record changes to the school's ChangeLog table inside the run's transaction (a run that rolls
/// back logs nothing), in batched inserts (on PostgreSQL, large batches by binary COPY), or one Filled entry for a
/// table the run found empty; and removes entries older than the retention.
/// </summary>
public sealed class ChangeLogWriter(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IModel model,
    IReadOnlyDictionary<string, int> syncIds, DateTime now) : IAsyncDisposable
{
    private const int Columns = 7;
    private readonly string[] _columns = ColumnNames(model);
    private readonly string _table = model.FindEntityType(typeof(ChangeLogEntry))!.GetTableName()!;
    private readonly string _changeId = ColumnName(model, nameof(ChangeLogEntry.ChangeId));
    private readonly Dictionary<int, DbCommand> _inserts = [];
    private readonly int _rowsPerInsert = Math.Clamp(dialect.MaxRowsPerStatement(Columns), 1, 200);

    private static readonly NpgsqlDbType[] CopyTypes =
        [NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz];

    public int Written { get; private set; }

    public Task AppendAsync(IReadOnlyList<RecordChange> changes, CancellationToken cancellationToken) =>
        WriteAsync(changes.Select(change => Entry(change.EntityType, change.CleverId, change.Action, ChangeValues.Write(change.Old), ChangeValues.Write(change.New))),
            changes.Count, cancellationToken);

    /// <summary>
    /// Logs that <paramref name="entityType"/>'s table, empty when the run began, was filled by it: one entry instead of
    /// one creation per row (a school's first sync would otherwise write its change log as large as its tables).
    /// </summary>
    public Task AppendFilledAsync(string entityType, long rows, CancellationToken cancellationToken) =>
        WriteAsync([Entry(entityType, ChangeAction.AllRecords, ChangeAction.Filled, null, $"{{\"Rows\":{rows}}}")], 1, cancellationToken);

    private object?[] Entry(string entityType, string cleverId, string action, string? old, string? @new) =>
        [syncIds[entityType], entityType, cleverId, action, old, @new, now];

    private async Task WriteAsync(IEnumerable<object?[]> entries, int count, CancellationToken cancellationToken)
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("ChangeLogWrite");
        activity?.SetTag("cleversync.rows", count);
        if (dialect is PostgreSqlDialect { CopyMinRows: > 0 } postgres && count >= postgres.CopyMinRows && connection is NpgsqlConnection npgsql)
        {
            var copy = $"COPY {dialect.Quote(_table)} ({string.Join(", ", _columns.Select(dialect.Quote))}) FROM STDIN (FORMAT BINARY)";
            Written += (int)await PostgreSqlCopy.ImportAsync(npgsql, copy, entries, CopyTypes, cancellationToken);
            return;
        }

        foreach (var batch in entries.Chunk(_rowsPerInsert))
        {
            var command = await InsertCommandAsync(batch.Length, cancellationToken);
            for (var r = 0; r < batch.Length; r++)
            {
                var values = batch[r];
                for (var c = 0; c < Columns; c++)
                {
                    command.Parameters[r * Columns + c].Value = values[c] ?? DBNull.Value;
                }
            }

            Written += await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Removes entries older than <paramref name="retentionDays"/> (0 keeps everything); returns how many. What goes is
    /// always a prefix of the log (every entry up to the newest one past the retention), so an entry that is kept
    /// keeps every later entry of its records: a fill is read back through them.
    /// </summary>
    public async Task<int> PruneAsync(int retentionDays, CancellationToken cancellationToken)
    {
        if (retentionDays <= 0)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var table = dialect.Quote(_table);
        var id = dialect.Quote(_changeId);
        command.CommandText = $"DELETE FROM {table} WHERE {id} <= (SELECT MAX({id}) FROM {table} WHERE {dialect.Quote(_columns[6])} < @cutoff)";
        var cutoff = command.CreateParameter();
        cutoff.ParameterName = "@cutoff";
        cutoff.Value = now.AddDays(-retentionDays);
        command.Parameters.Add(cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _inserts.Values)
        {
            await command.DisposeAsync();
        }
    }

    private async Task<DbCommand> InsertCommandAsync(int rows, CancellationToken cancellationToken)
    {
        if (!_inserts.TryGetValue(rows, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(0, Columns).Select(c => $"@c{r}_{c}")) + ")"));
            command.CommandText = $"INSERT INTO {dialect.Quote(_table)} ({string.Join(", ", _columns.Select(dialect.Quote))}) VALUES {values}";
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < Columns; c++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"@c{r}_{c}";
                    parameter.Value = DBNull.Value;
                    command.Parameters.Add(parameter);
                }
            }

            await command.PrepareAsync(cancellationToken);
            _inserts[rows] = command;
        }

        return command;
    }

    private static string[] ColumnNames(IModel model) =>
        new[]
        {
            nameof(ChangeLogEntry.SyncId), nameof(ChangeLogEntry.EntityType), nameof(ChangeLogEntry.CleverId), nameof(ChangeLogEntry.Action),
            nameof(ChangeLogEntry.OldValues), nameof(ChangeLogEntry.NewValues), nameof(ChangeLogEntry.ChangedAt),
        }.Select(p => ColumnName(model, p)).ToArray();

    private static string ColumnName(IModel model, string property)
    {
        var entity = model.FindEntityType(typeof(ChangeLogEntry))!;
        return entity.FindProperty(property)!.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()))!;
    }
}
