using System.Data.Common;
using CleverSyncSOS.Sync.Changes;
using Npgsql;

namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// Batched native upserts into one roster table inside the caller's transaction. No change tracking: rows
/// go straight to prepared statements (on PostgreSQL, a batch of <see cref="PostgreSqlDialect.CopyMinRows"/> rows or more
/// goes by binary COPY and one merge, or by COPY alone into a table being filled: <see cref="StartFill"/>), and a row whose
/// values did not change is not written at all.
/// </summary>
public sealed class RosterTableWriter(DbConnection connection, DbTransaction transaction, SqlDialect dialect, RosterTableMap map, int batchSize, DateTime now)
    : IAsyncDisposable
{
    private readonly PostgreSqlCopyUpsert? _copy = dialect is PostgreSqlDialect { CopyMinRows: > 0 } postgres && connection is NpgsqlConnection npgsql
        ? new PostgreSqlCopyUpsert(npgsql, (NpgsqlTransaction)transaction, postgres, map, now)
        : null;

    private readonly int _copyMinRows = (dialect as PostgreSqlDialect)?.CopyMinRows ?? 0;
    private TableFill? _fill;
    private readonly Dictionary<int, DbCommand> _upserts = [];
    private SqliteRowUpsert? _sqliteRow;
    private bool _sqliteRowTried;
    private readonly Dictionary<int, DbCommand> _seen = [];
    private readonly int _rowsPerUpsert = Math.Min(batchSize, dialect.MaxRowsPerStatement(map.DataColumns.Count + 1));
    private readonly int _keysPerInsert = Math.Min(batchSize, dialect.MaxKeysPerStatement);

    /// <summary>
    /// Declares that the table was empty when the caller's step began and is written only through this writer meanwhile (the
    /// school's claim keeps other runs out). On PostgreSQL, a COPY-sized batch's rows of keys not written before in the step
    /// then go straight into the table, without the stage and merge an upsert needs: a school's first sync writes once.
    /// </summary>
    public void StartFill()
    {
        if (_copy is not null)
        {
            _fill = new TableFill();
        }
    }

    /// <summary>Writes rows (key first, then <see cref="RosterTableMap.DataColumns"/>); returns how many were inserted or changed.</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("WriteBatch");
        activity?.SetTag("cleversync.table", map.Table);
        activity?.SetTag("cleversync.rows", rows.Count);
        var distinct = Distinct(rows);
        if (_fill is not null && _copy is not null && distinct.Count >= _copyMinRows)
        {
            var (fresh, again) = _fill.Split(distinct);
            activity?.SetTag("cleversync.copy", true);
            var inserted = fresh.Count == 0 ? 0 : await _copy.InsertAsync(fresh, cancellationToken);
            return inserted + (again.Count == 0 ? 0 : await UpsertDistinctAsync(again, activity, cancellationToken));
        }

        _fill?.Remember(distinct);
        return await UpsertDistinctAsync(distinct, activity, cancellationToken);
    }

    private async Task<int> UpsertDistinctAsync(IReadOnlyCollection<object?[]> distinct, System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        if (_copy is not null && distinct.Count >= _copyMinRows)
        {
            activity?.SetTag("cleversync.copy", true);
            return await _copy.UpsertAsync(distinct, cancellationToken);
        }

        if (_rowsPerUpsert == 1 && SqliteRow() is { } sqliteRow)
        {
            var written = 0;
            foreach (var row in distinct)
            {
                cancellationToken.ThrowIfCancellationRequested();
                written += sqliteRow.Execute(row);
            }

            return written;
        }

        var affected = 0;
        foreach (var batch in distinct.Chunk(_rowsPerUpsert))
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

    /// <summary>Per group of a grouped table: its rows and how many of them the full read did not see.</summary>
    public async Task<IReadOnlyList<(string Group, long Total, long Missing)>> CountMissingByGroupAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(dialect.CountMissingByGroup(map));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new List<(string, long, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return groups;
    }

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

    /// <summary>Removes the rows of one group (a section's enrollments) that are not among <paramref name="keep"/>.</summary>
    public async Task<int> DeleteGroupExceptAsync(string group, IReadOnlyList<string> keep, CancellationToken cancellationToken)
    {
        var keys = keep.Distinct(StringComparer.Ordinal).ToList();
        await using var command = Command(dialect.DeleteGroupExcept(map, keys.Count));
        AddParameter(command, "@g", group);
        for (var i = 0; i < keys.Count; i++)
        {
            AddParameter(command, $"@k{i}", keys[i]);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored rows of these keys (for the change log and dry runs), by key.</summary>
    public async Task<Dictionary<string, StoredRow>> ReadRowsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, StoredRow>(keys.Count, StringComparer.Ordinal);
        foreach (var batch in keys.Distinct(StringComparer.Ordinal).Chunk(batchSize))
        {
            await using var command = Command(dialect.SelectRows(map, batch.Length));
            for (var i = 0; i < batch.Length; i++)
            {
                AddParameter(command, $"@k{i}", batch[i]);
            }

            foreach (var row in await ReadStoredAsync(command, cancellationToken))
            {
                rows[(string)row.Values[0]!] = row;
            }
        }

        return rows;
    }

    /// <summary>Up to <paramref name="rows"/> stored rows with keys before <paramref name="before"/> (all when null), newest key first.</summary>
    public async Task<IReadOnlyList<StoredRow>> ReadPageDescendingAsync(string? before, int rows, CancellationToken cancellationToken)
    {
        await using var command = Command(dialect.SelectPageDescending(map, before is null, rows));
        if (before is not null)
        {
            AddParameter(command, "@before", before);
        }

        return await ReadStoredAsync(command, cancellationToken);
    }

    /// <summary>The stored rows of one record, or of a record that is part of their key (a student's enrollments).</summary>
    public async Task<IReadOnlyList<StoredRow>> ReadRowsOfAsync(string cleverId, CancellationToken cancellationToken)
    {
        var like = cleverId.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
        await using var command = Command(dialect.SelectRowsLike(map));
        AddParameter(command, "@id", cleverId);
        AddParameter(command, "@prefix", like + ":%");
        AddParameter(command, "@suffix", "%:" + like);
        return await ReadStoredAsync(command, cancellationToken);
    }

    /// <summary>The stored rows the full read did not see.</summary>
    public async Task<IReadOnlyList<StoredRow>> ReadMissingRowsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(dialect.SelectMissingRows(map));
        return await ReadStoredAsync(command, cancellationToken);
    }

    /// <summary>The stored rows of one group (a section's enrollments).</summary>
    public async Task<IReadOnlyList<StoredRow>> ReadGroupRowsAsync(string group, CancellationToken cancellationToken)
    {
        await using var command = Command(dialect.SelectGroupRows(map));
        AddParameter(command, "@g", group);
        return await ReadStoredAsync(command, cancellationToken);
    }

    private async Task<List<StoredRow>> ReadStoredAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = map.Properties.Count;
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[columns];
            for (var i = 0; i < columns; i++)
            {
                values[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : ReadValue(reader, i, map.Properties[i].ClrType);
            }

            rows.Add(new StoredRow(values, reader.GetBoolean(columns)));
        }

        return rows;
    }

    // Typed by the model, so a value read back compares equal to the one Clever sent (SQLite keeps timestamps as text).
    private static object ReadValue(DbDataReader reader, int ordinal, Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(DateTime) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            var t when t == typeof(bool) => reader.GetBoolean(ordinal),
            _ => reader.GetValue(ordinal),
        };

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            await _copy.DisposeAsync();
        }

        foreach (var command in _upserts.Values.Concat(_seen.Values))
        {
            await command.DisposeAsync();
        }

        _sqliteRow?.Dispose();
    }

    // A key may come twice in one batch (duplicates across Clever pages, or several events); the last one wins.
    private static IReadOnlyCollection<object?[]> Distinct(IReadOnlyList<object?[]> rows)
    {
        var byKey = new Dictionary<string, object?[]>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byKey[(string)row[0]!] = row;
        }

        return byKey.Count == rows.Count ? rows : byKey.Values;
    }

    // SQLite writes one row per statement: prepared once, bound by position (null on another provider).
    private SqliteRowUpsert? SqliteRow()
    {
        if (!_sqliteRowTried)
        {
            _sqliteRowTried = true;
            _sqliteRow = dialect is SqliteDialect
                ? SqliteRowUpsert.TryPrepare(connection, dialect.Upsert(map, 1), map.Properties.Select(p => p.ClrType).ToList(), now)
                : null;
        }

        return _sqliteRow;
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
