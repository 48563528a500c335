using System.Data.Common;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Applying;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>A roster table's rows in memory: the Clever id, then the data columns, as the service maps them.</summary>
public sealed record TableRows(Type Entity, IReadOnlyList<object?[]> Rows);

public enum RawWriteMethod
{
    /// <summary>One prepared INSERT ... ON CONFLICT per row.</summary>
    SingleRow,

    /// <summary>One prepared INSERT ... ON CONFLICT per <c>rowsPerStatement</c> rows.</summary>
    MultiRow,

    /// <summary>PostgreSQL only: binary COPY into a temp table, then one INSERT ... SELECT ... ON CONFLICT.</summary>
    CopyMerge,

    /// <summary>PostgreSQL only: binary COPY straight into the (empty) table, every row new: the fastest way in, an upsert's lower bound.</summary>
    CopyInto,
}

/// <summary>
/// The raw-write baseline: the same rows written straight through ADO.NET in one transaction, with prepared
/// statements and no HTTP, change tracking, validation or bookkeeping of seen keys. The SQL is written here
/// from the table and column names of the EF Core model (the schema the migrations created).
/// </summary>
public static class RawWriter
{
    // The columns the service fills from Clever's data, after the key (the property names of the seed's entities).
    private static readonly Dictionary<Type, (string Key, string[] Data)> DataColumns = new()
    {
        [typeof(Student)] = (nameof(Student.CleverStudentId),
            [nameof(Student.FirstName), nameof(Student.LastName), nameof(Student.Email), nameof(Student.Grade), nameof(Student.StudentNumber), nameof(Student.LastModifiedInClever)]),
        [typeof(Teacher)] = (nameof(Teacher.CleverTeacherId),
            [nameof(Teacher.FirstName), nameof(Teacher.LastName), nameof(Teacher.Email), nameof(Teacher.Title), nameof(Teacher.LastModifiedInClever)]),
    };

    public static async Task<long> WriteAsync(DatabaseProvider provider, string connectionString, IReadOnlyList<TableRows> tables,
        RawWriteMethod method, int rowsPerStatement, CancellationToken cancellationToken)
    {
        var model = ModelFor(provider, connectionString);
        await using DbConnection connection = provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnection(connectionString),
            DatabaseProvider.PostgreSql => new NpgsqlConnection(connectionString),
            _ => throw new NotSupportedException(provider.ToString()),
        };
        await connection.OpenAsync(cancellationToken);
        if (provider == DatabaseProvider.Sqlite)
        {
            // The same per-connection settings the service uses, so only the way of writing differs.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = SchoolTransaction.SqliteRunSettings;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var now = DateTime.UtcNow;
        long written = 0;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in tables)
        {
            var shape = Shape.For(model, table.Entity, provider);
            written += method switch
            {
                RawWriteMethod.CopyMerge => await CopyMergeAsync((NpgsqlConnection)connection, shape, table.Rows, now, cancellationToken),
                RawWriteMethod.CopyInto => await CopyIntoAsync((NpgsqlConnection)connection, shape, table.Rows, now, cancellationToken),
                _ => await UpsertAsync(connection, transaction, shape, table.Rows, method == RawWriteMethod.SingleRow ? 1 : rowsPerStatement, now, cancellationToken),
            };
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    private static async Task<long> UpsertAsync(DbConnection connection, DbTransaction transaction, Shape shape, IReadOnlyList<object?[]> rows,
        int rowsPerStatement, DateTime now, CancellationToken cancellationToken)
    {
        long written = 0;
        var commands = new Dictionary<int, DbCommand>();
        try
        {
            for (var start = 0; start < rows.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, rows.Count - start);
                if (!commands.TryGetValue(count, out var command))
                {
                    command = await PrepareAsync(connection, transaction, shape, count, now, cancellationToken);
                    commands[count] = command;
                }

                var parameters = command.Parameters;
                var columns = shape.Columns.Length;
                for (var r = 0; r < count; r++)
                {
                    var row = rows[start + r];
                    for (var c = 0; c < columns; c++)
                    {
                        parameters[r * columns + c].Value = row[c] ?? DBNull.Value;
                    }
                }

                written += await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }

        return written;
    }

    private static async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction transaction, Shape shape, int rows, DateTime now,
        CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var names = new List<string>(shape.Columns.Length);
            for (var c = 0; c < shape.Columns.Length; c++)
            {
                // Named as in the SQL, '@' included: Microsoft.Data.Sqlite binds each parameter by looking its name up.
                var name = $"@p{r}_{c}";
                names.Add(name);
                command.Parameters.Add(Parameter(connection, name, shape.IsDate[c]));
            }

            values.Add($"({string.Join(", ", names)}, {shape.True}, NULL, @now, @now)");
        }

        var stamp = Parameter(connection, "@now", isDate: true);
        stamp.Value = now;
        command.Parameters.Add(stamp);
        command.CommandText = $"INSERT INTO {shape.Table} ({shape.InsertColumns}) VALUES {string.Join(", ", values)} {shape.OnConflict}";
        await command.PrepareAsync(cancellationToken);
        return command;
    }

    private static DbParameter Parameter(DbConnection connection, string name, bool isDate) => connection switch
    {
        NpgsqlConnection => new NpgsqlParameter(name, isDate ? NpgsqlDbType.TimestampTz : NpgsqlDbType.Text),
        _ => new SqliteParameter { ParameterName = name },
    };

    private static async Task<long> CopyMergeAsync(NpgsqlConnection connection, Shape shape, IReadOnlyList<object?[]> rows, DateTime now,
        CancellationToken cancellationToken)
    {
        var stage = "bench_stage_" + shape.RawTable.ToLowerInvariant();
        var stageColumns = string.Join(", ", shape.Columns.Select((_, i) => $"c{i}"));
        await using (var create = new NpgsqlCommand(
                         $"CREATE TEMP TABLE {stage} ({string.Join(", ", shape.IsDate.Select((d, i) => $"c{i} {(d ? "timestamptz" : "text")}"))}) ON COMMIT DROP",
                         connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, $"COPY {stage} ({stageColumns}) FROM STDIN (FORMAT BINARY)", shape, rows, now: null, cancellationToken);

        await using var merge = new NpgsqlCommand(
            $"INSERT INTO {shape.Table} ({shape.InsertColumns}) SELECT {stageColumns}, TRUE, NULL, @now, @now FROM {stage} {shape.OnConflict}", connection);
        merge.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        return await merge.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CopyIntoAsync(NpgsqlConnection connection, Shape shape, IReadOnlyList<object?[]> rows, DateTime now,
        CancellationToken cancellationToken) =>
        await CopyAsync(connection, $"COPY {shape.Table} ({shape.InsertColumns}) FROM STDIN (FORMAT BINARY)", shape, rows, now, cancellationToken);

    /// <summary>The rows' columns by binary COPY; with <paramref name="now"/>, each row followed by a new row's bookkeeping (active, not deactivated, created and updated now).</summary>
    private static async Task<long> CopyAsync(NpgsqlConnection connection, string copy, Shape shape, IReadOnlyList<object?[]> rows, DateTime? now,
        CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            for (var c = 0; c < shape.Columns.Length; c++)
            {
                if (row[c] is null)
                {
                    await import.WriteNullAsync(cancellationToken);
                }
                else if (shape.IsDate[c])
                {
                    await import.WriteAsync((DateTime)row[c]!, NpgsqlDbType.TimestampTz, cancellationToken);
                }
                else
                {
                    await import.WriteAsync((string)row[c]!, NpgsqlDbType.Text, cancellationToken);
                }
            }

            if (now is { } created)
            {
                await import.WriteAsync(true, NpgsqlDbType.Boolean, cancellationToken);
                await import.WriteNullAsync(cancellationToken);
                await import.WriteAsync(created, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(created, NpgsqlDbType.TimestampTz, cancellationToken);
            }
        }

        return (long)await import.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// The service's own write half on the same rows: its RosterTableWriter fed batch by batch as its full read
    /// does, in one transaction, with no HTTP. Isolates writing from fetching. Like the full read, it fills a table that
    /// is empty (the benchmark's fresh databases) without remembering seen keys, and upserts and marks keys seen otherwise.
    /// </summary>
    public static async Task<long> EngineWriterAsync(DatabaseProvider provider, string connectionString, IReadOnlyList<TableRows> tables, int batchSize,
        CancellationToken cancellationToken)
    {
        await using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(provider, connectionString).Options);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (provider == DatabaseProvider.Sqlite)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = SchoolTransaction.SqliteRunSettings;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var dialect = SqlDialect.For(provider);
        var now = DateTime.UtcNow;
        long written = 0;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in tables)
        {
            var entity = table.Entity == typeof(Student) ? SyncEntities.Student : SyncEntities.Teacher;
            await using var writer = new RosterTableWriter(connection, transaction, dialect, entity.Map(db.Model), batchSize, now);
            var fill = await writer.CountAsync(cancellationToken) == 0;
            if (fill)
            {
                writer.StartFill();
            }
            else
            {
                await writer.BeginSeenAsync(cancellationToken);
            }

            foreach (var batch in table.Rows.Chunk(batchSize))
            {
                written += await writer.UpsertAsync(batch, cancellationToken);
                if (!fill)
                {
                    await writer.MarkSeenAsync(batch.Select(r => (string)r[0]!).ToList(), cancellationToken);
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    private static IModel ModelFor(DatabaseProvider provider, string connectionString)
    {
        using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(provider, connectionString).Options);
        return db.Model;
    }

    private sealed record Shape(string RawTable, string Table, string[] Columns, bool[] IsDate, string InsertColumns, string OnConflict, string True)
    {
        public static Shape For(IModel model, Type entity, DatabaseProvider provider)
        {
            var type = model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not in the model.");
            var table = type.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var (key, data) = DataColumns[entity];
            string Column(string property) => Quote(type.FindProperty(property)!.GetColumnName(store)!);
            var columns = new[] { key }.Concat(data).ToArray();
            var isDate = columns.Select(p => Nullable.GetUnderlyingType(type.FindProperty(p)!.ClrType) == typeof(DateTime) || type.FindProperty(p)!.ClrType == typeof(DateTime)).ToArray();
            var quoted = columns.Select(Column).ToList();
            var bookkeeping = new[] { nameof(Student.IsActive), nameof(Student.DeactivatedAt), nameof(Student.CreatedAt), nameof(Student.UpdatedAt) }.Select(Column).ToList();
            var insert = string.Join(", ", quoted.Concat(bookkeeping));
            var set = string.Join(", ", quoted.Skip(1).Select(c => $"{c} = excluded.{c}")
                .Append($"{bookkeeping[0]} = excluded.{bookkeeping[0]}").Append($"{bookkeeping[1]} = NULL").Append($"{bookkeeping[3]} = excluded.{bookkeeping[3]}"));
            return new Shape(table, Quote(table), columns, isDate, insert, $"ON CONFLICT ({quoted[0]}) DO UPDATE SET {set}",
                provider == DatabaseProvider.PostgreSql ? "TRUE" : "1");
        }

        private static string Quote(string identifier) => $"\"{identifier}\"";
    }
}
