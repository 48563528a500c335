using System.Data.Common;

namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// Batched native upserts into one roster table inside the caller's transaction. No change tracking: rows
/// go straight to prepared statements, and a row whose values did not change is not written at all.
/// </summary>
public sealed class RosterTableWriter(DbConnection connection, DbTransaction transaction, SqlDialect dialect, RosterTableMap map, int batchSize, DateTime now)
    : IAsyncDisposable
{
    private readonly Dictionary<int, DbCommand> _upserts = [];
    private readonly Dictionary<int, DbCommand> _seen = [];
    private readonly int _rowsPerUpsert = Math.Min(batchSize, dialect.MaxRowsPerStatement(map.DataColumns.Count + 1));
    private readonly int _keysPerInsert = Math.Min(batchSize, dialect.MaxKeysPerStatement);

    /// <summary>Writes rows (key first, then <see cref="RosterTableMap.DataColumns"/>); returns how many were inserted or changed.</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("WriteBatch");
        activity?.SetTag("cleversync.table", map.Table);
        activity?.SetTag("cleversync.rows", rows.Count);
        var affected = 0;
        foreach (var batch in Distinct(rows).Chunk(_rowsPerUpsert))
        {
            var command = await UpsertCommandAsync(batch.Length, cancellationToken);
            for (var r = 0; r < batch.Length; r++)
            {
                for (var c = 0; c < batch[r].Length; c++)
                {
                    command.Parameters[r * batch[r].Length + c].Value = batch[r][c] ?? DBNull.Value;
                }
            }

            affected += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
    }

    /// <summary>Starts remembering which keys a full read has seen (a connection-local temp table, not data).</summary>
    public async Task BeginSeenAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(dialect.CreateSeenTable(map), cancellationToken);

    public async Task MarkSeenAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Distinct(StringComparer.Ordinal).Chunk(_keysPerInsert))
        {
            var command = await SeenCommandAsync(batch.Length, cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                command.Parameters[i].Value = batch[i];
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken) => ScalarAsync(dialect.CountAll(map), cancellationToken);

    /// <summary>How many stored records the full read did not see.</summary>
    public Task<long> CountMissingAsync(CancellationToken cancellationToken) => ScalarAsync(dialect.CountMissing(map), cancellationToken);

    /// <summary>The seed's full-sync rule: unseen records are deactivated, then the inactive ones deleted. Returns the deleted count.</summary>
    public async Task<int> DeactivateAndDeleteMissingAsync(CancellationToken cancellationToken)
    {
        await using (var deactivate = Command(dialect.DeactivateMissing(map)))
        {
            AddParameter(deactivate, "@now", now);
            await deactivate.ExecuteNonQueryAsync(cancellationToken);
        }

        return await ExecuteAsync(dialect.DeleteInactive(map), cancellationToken);
    }

    public async Task<int> DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var batch in keys.Distinct(StringComparer.Ordinal).Chunk(batchSize))
        {
            await using var command = Command(dialect.DeleteByKeys(map, batch.Length));
            for (var i = 0; i < batch.Length; i++)
            {
                AddParameter(command, $"@k{i}", batch[i]);
            }

            deleted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return deleted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _upserts.Values.Concat(_seen.Values))
        {
            await command.DisposeAsync();
        }
    }

    // A key may come twice in one batch (duplicates across Clever pages, or several events); the last one wins.
    private static IEnumerable<object?[]> Distinct(IReadOnlyList<object?[]> rows)
    {
        var byKey = new Dictionary<string, object?[]>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byKey[(string)row[0]!] = row;
        }

        return byKey.Count == rows.Count ? rows : byKey.Values;
    }

    // Commands are kept per batch size: full batches reuse one prepared statement, only the last batch differs.
    private async Task<DbCommand> UpsertCommandAsync(int rows, CancellationToken cancellationToken)
    {
        if (!_upserts.TryGetValue(rows, out var command))
        {
            command = Command(dialect.Upsert(map, rows));
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c <= map.DataColumns.Count; c++)
                {
                    AddParameter(command, $"@p{r}_{c}", null);
                }
            }

            AddParameter(command, "@now", now);
            await command.PrepareAsync(cancellationToken);
            _upserts[rows] = command;
        }

        return command;
    }

    private async Task<DbCommand> SeenCommandAsync(int keys, CancellationToken cancellationToken)
    {
        if (!_seen.TryGetValue(keys, out var command))
        {
            command = Command(dialect.InsertSeen(map, keys));
            for (var k = 0; k < keys; k++)
            {
                AddParameter(command, $"@k{k}", null);
            }

            await command.PrepareAsync(cancellationToken);
            _seen[keys] = command;
        }

        return command;
    }

    private DbCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
