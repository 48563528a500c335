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

    /// <summary>Streams <paramref name="rows"/> with <paramref name="copy"/> (a <c>COPY ... FROM STDIN (FORMAT BINARY)</c>); returns the rows sent.</summary>
    public static async Task<ulong> ImportAsync(NpgsqlConnection connection, string copy, IEnumerable<object?[]> rows, NpgsqlDbType[] types,
        CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            for (var c = 0; c < types.Length; c++)
            {
                switch (row[c])
                {
                    case null:
                        await import.WriteNullAsync(cancellationToken);
                        break;
                    case DateTime d:
                        // Clever's timestamps are read as UTC; timestamptz takes UTC only.
                        await import.WriteAsync(d.Kind == DateTimeKind.Utc ? d : DateTime.SpecifyKind(d, DateTimeKind.Utc), types[c], cancellationToken);
                        break;
                    case string text:
                        await import.WriteAsync(text, types[c], cancellationToken);
                        break;
                    case bool flag:
                        await import.WriteAsync(flag, types[c], cancellationToken);
                        break;
                    case int number:
                        await import.WriteAsync(number, types[c], cancellationToken);
                        break;
                    case long number:
                        await import.WriteAsync(number, types[c], cancellationToken);
                        break;
                    case var other:
                        throw new NotSupportedException($"No COPY path for a {other.GetType().Name} value.");
                }
            }
        }

        return await import.CompleteAsync(cancellationToken);
    }
}

/// <summary>
/// Upserts of one table by COPY into a transaction-local staging table, then one <c>INSERT ... SELECT ... ON CONFLICT
/// DO UPDATE ... WHERE ... IS DISTINCT FROM</c>: the row path's statement with a table for its VALUES, so the same rows
/// are inserted, the same are updated, and an unchanged row is not written. The stage disappears at commit or rollback.
/// </summary>
internal sealed class PostgreSqlCopyUpsert(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlDialect dialect, RosterTableMap map, DateTime now)
    : IAsyncDisposable
{
    private readonly NpgsqlDbType[] _types = map.Properties.Select(p => PostgreSqlCopy.TypeOf(p.ClrType)).ToArray();
    private NpgsqlCommand? _merge;

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
