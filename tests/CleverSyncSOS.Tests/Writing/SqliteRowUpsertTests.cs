using System.Data.Common;
using System.Globalization;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Writing;

/// <summary>
/// The SQLite writer binds by position through SQLitePCL instead of through SqliteCommand; what it stores must be
/// byte for byte what SqliteCommand stores (timestamps as the same text, flags as the same integers), or EF Core and
/// the change detection of the next sync would read a different value.
/// </summary>
public sealed class SqliteRowUpsertTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 7, 0, 0, 123, DateTimeKind.Utc);

    [Fact]
    public async Task Every_table_stores_the_same_bytes_as_SqliteCommand_would()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2), provider: DatabaseProvider.Sqlite);
        await env.OnboardAsync();
        var direct = await env.SchoolAsync(env.District.Schools[0].Id);
        var command = await env.SchoolAsync(env.District.Schools[1].Id);

        foreach (var entity in SyncEntities.All)
        {
            var stored = new List<IReadOnlyList<string>>();
            foreach (var (school, throughCommand) in new[] { (direct, false), (command, true) })
            {
                await using var db = await env.Services.GetRequiredService<SchoolDatabases>().OpenAsync(school, CancellationToken.None);
                await db.Database.OpenConnectionAsync();
                var connection = db.Database.GetDbConnection();
                var map = entity.Map(db.Model);
                var rows = SampleRows(map);
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    var written = throughCommand
                        ? await WriteWithCommandAsync(connection, transaction, map, rows)
                        : await WriteWithWriterAsync(connection, transaction, map, rows);
                    Assert.Equal(rows.Count, written);
                    await transaction.CommitAsync();
                }

                stored.Add(await DumpAsync(connection, map));
            }

            Assert.NotEmpty(stored[0]);
            Assert.Equal(stored[1], stored[0]);
        }
    }

    /// <summary>Values of every type the roster tables hold, with the awkward ones: nulls, empty and non-ASCII text, whole and fractional seconds.</summary>
    private static List<object?[]> SampleRows(RosterTableMap map)
    {
        var texts = new[] { "plain", "", "Zoë 'O''Brien' \"quoted\" 😀 漢字", "line\nbreak", "lone \uD800 surrogate" };
        var times = new[] { new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_567), DateTime.UnixEpoch };
        var rows = new List<object?[]>();
        for (var r = 0; r < 6; r++)
        {
            var row = new object?[map.Properties.Count];
            for (var c = 0; c < row.Length; c++)
            {
                var property = map.Properties[c];
                var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                row[c] = c == 0 ? $"key-{r}"
                    : property.IsNullable && r == 5 ? null
                    : type == typeof(string) ? Fit(texts[(r + c) % texts.Length], property.GetMaxLength())
                    : type == typeof(DateTime) ? times[(r + c) % times.Length]
                    : type == typeof(bool) ? (r + c) % 2 == 0
                    : type == typeof(int) ? (r - 2) * 1_000_000 + c
                    : throw new InvalidOperationException($"No sample for {type.Name}.");
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string Fit(string text, int? maxLength) => maxLength is { } max && text.Length > max ? text[..max] : text;

    private static async Task<int> WriteWithWriterAsync(DbConnection connection, DbTransaction transaction, RosterTableMap map, List<object?[]> rows)
    {
        await using var writer = new RosterTableWriter(connection, transaction, SqlDialect.For(DatabaseProvider.Sqlite), map, batchSize: 500, Now);
        return await writer.UpsertAsync(rows, CancellationToken.None);
    }

    private static async Task<int> WriteWithCommandAsync(DbConnection connection, DbTransaction transaction, RosterTableMap map, List<object?[]> rows)
    {
        var written = 0;
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SqlDialect.For(DatabaseProvider.Sqlite).Upsert(map, 1);
            for (var c = 0; c < row.Length; c++)
            {
                Add(command, $"@p0_{c}", row[c]);
            }

            Add(command, "@now", Now);
            written += await command.ExecuteNonQueryAsync();
        }

        return written;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Every column of every row as SQLite's storage class and literal, so text "1" and integer 1 differ.</summary>
    private static async Task<IReadOnlyList<string>> DumpAsync(DbConnection connection, RosterTableMap map)
    {
        var columns = map.Properties.Select(p => p.GetColumnName()).Append(map.IsActiveColumn).Append(map.DeactivatedAtColumn)
            .Append(map.CreatedAtColumn).Append(map.UpdatedAtColumn).ToList();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(" || '|' || ", columns.Select(c => $"typeof(\"{c}\") || ':' || quote(\"{c}\")"))} " +
                              $"FROM \"{map.Table}\" ORDER BY \"{map.KeyColumn}\"";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return lines;
    }
}
