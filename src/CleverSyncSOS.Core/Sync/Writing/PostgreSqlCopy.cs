using Npgsql;
using NpgsqlTypes;

namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// PostgreSQL's bulk path: rows travel in one binary COPY stream (no statement text, no parameters to bind), the
/// fastest way into PostgreSQL. Values were validated before (no NUL, no over-long text), as on the row path.
/// </summary>
internal static class PostgreSqlCopy
{
    /// <summary>The wire type of a column's values, from the model's CLR type.</summary>
    public static NpgsqlDbType TypeOf(Type clrType) => (Nullable.GetUnderlyingType(clrType) ?? clrType) switch
    {
        var t when t == typeof(string) => NpgsqlDbType.Text,
        var t when t == typeof(DateTime) => NpgsqlDbType.TimestampTz,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t => throw new NotSupportedException($"No COPY type for {t.Name}."),
    };

    /// <summary>
    /// Streams <paramref name="rows"/> with <paramref name="copy"/> (a <c>COPY ... FROM STDIN (FORMAT BINARY)</c>), each row
    /// followed by <paramref name="appended"/> (the same values for every row); <paramref name="types"/> covers both. Returns the rows sent.
    /// </summary>
    public static async Task<ulong> ImportAsync(NpgsqlConnection connection, string copy, IEnumerable<object?[]> rows, NpgsqlDbType[] types,
        CancellationToken cancellationToken, IReadOnlyList<object?>? appended = null)
    {
        appended ??= [];
        await using var import = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            for (var c = 0; c < row.Length; c++)
            {
                await WriteAsync(import, row[c], types[c], cancellationToken);
            }

            for (var c = 0; c < appended.Count; c++)
            {
                await WriteAsync(import, appended[c], types[row.Length + c], cancellationToken);
            }
        }

        return await import.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter import, object? value, NpgsqlDbType type, CancellationToken cancellationToken) => value switch
    {
        null => import.WriteNullAsync(cancellationToken),
        // Clever's timestamps are read as UTC; timestamptz takes UTC only.
        DateTime d => import.WriteAsync(d.Kind == DateTimeKind.Utc ? d : DateTime.SpecifyKind(d, DateTimeKind.Utc), type, cancellationToken),
        string text => import.WriteAsync(text, type, cancellationToken),
        bool flag => import.WriteAsync(flag, type, cancellationToken),
        int number => import.WriteAsync(number, type, cancellationToken),
        long number => import.WriteAsync(number, type, cancellationToken),
        var other => throw new NotSupportedException($"No COPY path for a {other.GetType().Name} value."),
    };
}

/// <summary>
/// Upserts of one table by COPY into a transaction-local staging table, then one <c>INSERT ... SELECT ... ON CONFLICT
/// DO UPDATE ... WHERE ... IS DISTINCT FROM</c>: the row path's statement with a table for its VALUES, so the same rows
/// are inserted, the same are updated, and an unchanged row is not written. The stage disappears at commit or rollback.
/// Rows known to be new (<see cref="InsertAsync"/>) skip the stage and the merge: COPY straight into the table.
/// </summary>
internal sealed class PostgreSqlCopyUpsert(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlDialect dialect, RosterTableMap map, DateTime now)
    : IAsyncDisposable
{
    private readonly NpgsqlDbType[] _types = map.Properties.Select(p => PostgreSqlCopy.TypeOf(p.ClrType)).ToArray();

    // What the upsert gives a new row besides Clever's data (SqlDialect.InsertColumns): active, not deactivated, created and updated now.
    private readonly object?[] _newRowState = [true, null, now, now];
    private readonly NpgsqlDbType[] _newRowTypes =
        [.. map.Properties.Select(p => PostgreSqlCopy.TypeOf(p.ClrType)), NpgsqlDbType.Boolean, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz];
    private NpgsqlCommand? _merge;

    /// <summary>
    /// Rows whose keys the table surely does not hold, inserted as the upsert would insert them; returns how many.
    /// A key already in the table fails the COPY with a unique violation (and with it the transaction), never an overwrite.
    /// </summary>
    public async Task<int> InsertAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        (int)await PostgreSqlCopy.ImportAsync(connection, dialect.CopyIntoTable(map), rows, _newRowTypes, cancellationToken, _newRowState);

    /// <summary>Rows with distinct keys (a key twice would make the merge update one row twice); returns how many were inserted or changed.</summary>
    public async Task<int> UpsertAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        if (_merge is null)
        {
            await using (var create = new NpgsqlCommand(dialect.CreateStage(map), connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            _merge = new NpgsqlCommand(dialect.MergeStage(map), connection, transaction);
            _merge.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        }

        await PostgreSqlCopy.ImportAsync(connection, dialect.CopyIntoStage(map), rows, _types, cancellationToken);
        return await _merge.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_merge is not null)
        {
            await _merge.DisposeAsync();
        }
    }
}
