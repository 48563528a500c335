using CleverSyncSOS.Persistence;

namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// The SQL the bulk writer needs, per provider: a native upsert that writes nothing for unchanged rows,
/// and a connection-local table of the keys a full read has seen.
/// </summary>
public abstract class SqlDialect
{
    public const string SeenTable = "cleversync_seen";

    /// <param name="provider">The school databases' provider.</param>
    /// <param name="copyMinRows">PostgreSQL: batches of at least this many rows go by binary COPY; 0 never.</param>
    public static SqlDialect For(DatabaseProvider provider, int copyMinRows = PostgreSqlDialect.DefaultCopyMinRows) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDialect(),
        DatabaseProvider.PostgreSql => new PostgreSqlDialect { CopyMinRows = copyMinRows },
        DatabaseProvider.SqlServer => new SqlServerDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public abstract string Quote(string identifier);

    /// <summary>
    /// Rows per upsert statement. Round trips dominate on a server, so PostgreSQL and SQL Server take many rows a
    /// statement; SQLite runs in-process, where one prepared single-row statement is the fastest (measured in bench/).
    /// </summary>
    public abstract int MaxRowsPerStatement(int columns);

    /// <summary>Rows per write batch of a full read: what the reader hands the writer at once.</summary>
    public virtual int FullReadBatchSize(int batchSize) => batchSize;

    /// <summary>Keys per insert into the seen-keys table (one parameter each).</summary>
    public virtual int MaxKeysPerStatement => MaxRowsPerStatement(1);

    protected abstract string True { get; }
    protected abstract string False { get; }

    /// <summary>Parameters are named @p{row}_{column}, @now for the timestamp.</summary>
    public abstract string Upsert(RosterTableMap map, int rows);

    public abstract string CreateSeenTable(RosterTableMap map);

    public abstract string InsertSeen(RosterTableMap map, int rows);

    /// <summary>One table per roster table: every source of a school is read (two at once) before any table is pruned.</summary>
    public virtual string SeenTableName(RosterTableMap map) => $"{SeenTable}_{map.Table.ToLowerInvariant()}";

    public string CountAll(RosterTableMap map) => $"SELECT COUNT(*) FROM {Quote(map.Table)}";

    public string CountMissing(RosterTableMap map) =>
        $"SELECT COUNT(*) FROM {Quote(map.Table)} t WHERE NOT EXISTS (SELECT 1 FROM {SeenTableName(map)} s WHERE s.id = t.{Quote(map.KeyColumn)})";

    /// <summary>Per group (an enrollment table's section): its rows, and how many of them the full read did not see.</summary>
    public string CountMissingByGroup(RosterTableMap map) =>
        $"SELECT t.{Quote(map.GroupColumn!)}, COUNT(*), SUM(CASE WHEN s.id IS NULL THEN 1 ELSE 0 END) FROM {Quote(map.Table)} t " +
        $"LEFT JOIN {SeenTableName(map)} s ON s.id = t.{Quote(map.KeyColumn)} GROUP BY t.{Quote(map.GroupColumn!)}";

    /// <summary>Seed step 1, limited to the records the read did not see (the seen ones were reactivated by the upsert: step 2).</summary>
    public string DeactivateMissing(RosterTableMap map) =>
        $"UPDATE {Quote(map.Table)} SET {Quote(map.IsActiveColumn)} = {False}, {Quote(map.DeactivatedAtColumn)} = @now " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {SeenTableName(map)} s WHERE s.id = {Quote(map.Table)}.{Quote(map.KeyColumn)})";

    /// <summary>Seed step 3.</summary>
    public string DeleteInactive(RosterTableMap map) =>
        $"DELETE FROM {Quote(map.Table)} WHERE {Quote(map.IsActiveColumn)} = {False}";

    public string DeleteByKeys(RosterTableMap map, int keys) =>
        $"DELETE FROM {Quote(map.Table)} WHERE {Quote(map.KeyColumn)} IN ({string.Join(", ", Enumerable.Range(0, keys).Select(i => $"@k{i}"))})";

    /// <summary>Removes a group's rows (a section's enrollments) except the keys given (@g, @k0...).</summary>
    public string DeleteGroupExcept(RosterTableMap map, int keys) =>
        $"DELETE FROM {Quote(map.Table)} WHERE {Quote(map.GroupColumn!)} = @g" +
        (keys == 0 ? "" : $" AND {Quote(map.KeyColumn)} NOT IN ({string.Join(", ", Enumerable.Range(0, keys).Select(i => $"@k{i}"))})");

    /// <summary>Stored rows (key, data columns, IsActive) by key (@k0...).</summary>
    public string SelectRows(RosterTableMap map, int keys) =>
        $"{SelectColumns(map)} WHERE t.{Quote(map.KeyColumn)} IN ({string.Join(", ", Enumerable.Range(0, keys).Select(i => $"@k{i}"))})";

    /// <summary>Stored rows the full read did not see.</summary>
    public string SelectMissingRows(RosterTableMap map) =>
        $"{SelectColumns(map)} WHERE NOT EXISTS (SELECT 1 FROM {SeenTableName(map)} s WHERE s.id = t.{Quote(map.KeyColumn)})";

    /// <summary>Stored rows of one group (@g).</summary>
    public string SelectGroupRows(RosterTableMap map) => $"{SelectColumns(map)} WHERE t.{Quote(map.GroupColumn!)} = @g";

    /// <summary>
    /// One page of stored rows, newest key first in the database's own order: the first page, or those before @before.
    /// </summary>
    public string SelectPageDescending(RosterTableMap map, bool first, int rows) =>
        $"{SelectColumns(map)}{(first ? "" : $" WHERE t.{Quote(map.KeyColumn)} < @before")} ORDER BY t.{Quote(map.KeyColumn)} DESC{Limit(rows)}";

    /// <summary>Stored rows whose key is @id, starts with @prefix or ends with @suffix (LIKE patterns, escaped with a backslash).</summary>
    public string SelectRowsLike(RosterTableMap map) =>
        $"{SelectColumns(map)} WHERE t.{Quote(map.KeyColumn)} = @id OR t.{Quote(map.KeyColumn)} LIKE @prefix ESCAPE '\\' OR t.{Quote(map.KeyColumn)} LIKE @suffix ESCAPE '\\'";

    protected virtual string Limit(int rows) => $" LIMIT {rows}";

    private string SelectColumns(RosterTableMap map) =>
        $"SELECT {string.Join(", ", new[] { map.KeyColumn }.Concat(map.DataColumns).Append(map.IsActiveColumn).Select(c => "t." + Quote(c)))} FROM {Quote(map.Table)} t";

    public string ValuesRows(RosterTableMap map, int rows) => string.Join(",\n", Enumerable.Range(0, rows).Select(r =>
        "(" + string.Join(", ", Enumerable.Range(0, map.DataColumns.Count + 1).Select(c => $"@p{r}_{c}")) + $", {True}, NULL, @now, @now)"));

    public string InsertColumns(RosterTableMap map) => string.Join(", ",
        new[] { map.KeyColumn }.Concat(map.DataColumns).Append(map.IsActiveColumn).Append(map.DeactivatedAtColumn)
            .Append(map.CreatedAtColumn).Append(map.UpdatedAtColumn).Select(Quote));
}

/// <summary>SQLite: <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE</c>; <c>IS NOT</c> is its null-safe inequality.</summary>
public sealed class SqliteDialect : SqlDialect
{
    public override string Quote(string identifier) => $"\"{identifier}\"";
    public override int MaxRowsPerStatement(int columns) => 1;

    // Binding by name costs SQLite a scan of the statement's parameters, so keep statements small, but not single:
    // one statement per key would double the statements of a full read.
    public override int MaxKeysPerStatement => 16;
    protected override string True => "1";
    protected override string False => "0";

    public override string Upsert(RosterTableMap map, int rows) => OnConflictUpsert(this, map, $"VALUES\n{ValuesRows(map, rows)}", "IS NOT");

    public override string CreateSeenTable(RosterTableMap map) =>
        $"CREATE TEMP TABLE IF NOT EXISTS {SeenTableName(map)} (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID; DELETE FROM {SeenTableName(map)};";

    public override string InsertSeen(RosterTableMap map, int rows) =>
        $"INSERT OR IGNORE INTO {SeenTableName(map)} (id) VALUES {string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@k{i})"))}";

    /// <summary>Inserts the rows of <paramref name="source"/> (VALUES or a SELECT); a conflicting row is updated only when a value differs.</summary>
    internal static string OnConflictUpsert(SqlDialect d, RosterTableMap map, string source, string distinct)
    {
        var table = d.Quote(map.Table);
        var set = string.Join(", ", map.DataColumns.Select(c => $"{d.Quote(c)} = excluded.{d.Quote(c)}"));
        var changed = string.Join(" OR ", map.DataColumns.Select(c => $"{table}.{d.Quote(c)} {distinct} excluded.{d.Quote(c)}"));
        return $"INSERT INTO {table} ({d.InsertColumns(map)}) {source}\n" +
               $"ON CONFLICT ({d.Quote(map.KeyColumn)}) DO UPDATE SET {set}, {d.Quote(map.IsActiveColumn)} = excluded.{d.Quote(map.IsActiveColumn)}, " +
               $"{d.Quote(map.DeactivatedAtColumn)} = NULL, {d.Quote(map.UpdatedAtColumn)} = excluded.{d.Quote(map.UpdatedAtColumn)}\n" +
               $"WHERE {changed} OR {table}.{d.Quote(map.IsActiveColumn)} <> excluded.{d.Quote(map.IsActiveColumn)}";
    }
}

/// <summary>PostgreSQL: <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE ... IS DISTINCT FROM</c>.</summary>
public sealed class PostgreSqlDialect : SqlDialect
{
    public override string Quote(string identifier) => $"\"{identifier}\"";
    public override int MaxRowsPerStatement(int columns) => 500;
    protected override string True => "TRUE";
    protected override string False => "FALSE";

    public override string Upsert(RosterTableMap map, int rows) => SqliteDialect.OnConflictUpsert(this, map, $"VALUES\n{ValuesRows(map, rows)}", "IS DISTINCT FROM");

    /// <summary>
    /// Batches of at least this many rows go by binary COPY (into a staging table and one merge for roster tables);
    /// smaller ones by multi-row statements, whose fixed cost is lower (measured in bench/).
    /// </summary>
    public const int DefaultCopyMinRows = 1_000;

    /// <summary>A full read hands the writer batches this large when COPY is on: COPY's gain grows with the batch.</summary>
    public const int CopyBatchSize = 5_000;

    /// <summary>Batches of at least this many rows go by binary COPY; 0 never (the row path only).</summary>
    public int CopyMinRows { get; init; } = DefaultCopyMinRows;

    public override int FullReadBatchSize(int batchSize) => CopyMinRows > 0 ? Math.Max(batchSize, CopyBatchSize) : batchSize;

    /// <summary>A transaction-local table shaped like the key and data columns of <paramref name="map"/> (types taken from the table itself).</summary>
    public string CreateStage(RosterTableMap map) =>
        $"CREATE TEMP TABLE IF NOT EXISTS {StageTableName(map)} ON COMMIT DROP AS " +
        $"SELECT {string.Join(", ", StageColumns(map).Select(Quote))} FROM {Quote(map.Table)} WITH NO DATA";

    public string CopyIntoStage(RosterTableMap map) =>
        $"COPY {StageTableName(map)} ({string.Join(", ", StageColumns(map).Select(Quote))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>New rows straight into the table, every column the upsert gives a new row (<see cref="SqlDialect.InsertColumns"/>).</summary>
    public string CopyIntoTable(RosterTableMap map) => $"COPY {Quote(map.Table)} ({InsertColumns(map)}) FROM STDIN (FORMAT BINARY)";

    /// <summary>The staged rows merged like <see cref="Upsert"/> (@now for the timestamps), then the stage emptied for the next batch.</summary>
    public string MergeStage(RosterTableMap map) =>
        SqliteDialect.OnConflictUpsert(this, map,
            $"SELECT {string.Join(", ", StageColumns(map).Select(Quote))}, TRUE, NULL::timestamptz, @now, @now FROM {StageTableName(map)}", "IS DISTINCT FROM") +
        $";\nTRUNCATE {StageTableName(map)}";

    private static string StageTableName(RosterTableMap map) => $"cleversync_stage_{map.Table.ToLowerInvariant()}";

    private static IEnumerable<string> StageColumns(RosterTableMap map) => new[] { map.KeyColumn }.Concat(map.DataColumns);

    public override string CreateSeenTable(RosterTableMap map) =>
        $"CREATE TEMP TABLE IF NOT EXISTS {SeenTableName(map)} (id TEXT NOT NULL PRIMARY KEY); TRUNCATE {SeenTableName(map)};";

    public override string InsertSeen(RosterTableMap map, int rows) =>
        $"INSERT INTO {SeenTableName(map)} (id) VALUES {string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@k{i})"))} ON CONFLICT DO NOTHING";
}

/// <summary>SQL Server: <c>MERGE</c> with a change check, and a #temp table for the seen keys.</summary>
public sealed class SqlServerDialect : SqlDialect
{
    public override string Quote(string identifier) => $"[{identifier.Replace("]", "]]", StringComparison.Ordinal)}]";

    // SQL Server accepts at most 2 100 parameters a statement.
    public override int MaxRowsPerStatement(int columns) => Math.Max(1, 2_000 / Math.Max(1, columns));
    protected override string True => "1";
    protected override string False => "0";
    public override string SeenTableName(RosterTableMap map) => "#" + base.SeenTableName(map);
    protected override string Limit(int rows) => $" OFFSET 0 ROWS FETCH NEXT {rows} ROWS ONLY";

    public override string Upsert(RosterTableMap map, int rows)
    {
        var table = Quote(map.Table);
        var sourceColumns = string.Join(", ", new[] { map.KeyColumn }.Concat(map.DataColumns).Append(map.IsActiveColumn)
            .Append(map.DeactivatedAtColumn).Append(map.CreatedAtColumn).Append(map.UpdatedAtColumn).Select(Quote));
        // Null-safe "differs": EXISTS (SELECT a EXCEPT SELECT b) is true only when the column values differ.
        var changed = string.Join(" OR ", map.DataColumns.Append(map.IsActiveColumn)
            .Select(c => $"EXISTS (SELECT t.{Quote(c)} EXCEPT SELECT s.{Quote(c)})"));
        var set = string.Join(", ", map.DataColumns.Append(map.IsActiveColumn).Select(c => $"t.{Quote(c)} = s.{Quote(c)}"));
        return $"MERGE INTO {table} WITH (HOLDLOCK) AS t\nUSING (VALUES\n{ValuesRows(map, rows)}\n) AS s ({sourceColumns})\n" +
               $"ON t.{Quote(map.KeyColumn)} = s.{Quote(map.KeyColumn)}\n" +
               $"WHEN MATCHED AND ({changed}) THEN UPDATE SET {set}, t.{Quote(map.DeactivatedAtColumn)} = NULL, t.{Quote(map.UpdatedAtColumn)} = s.{Quote(map.UpdatedAtColumn)}\n" +
               $"WHEN NOT MATCHED THEN INSERT ({sourceColumns}) VALUES ({string.Join(", ", new[] { map.KeyColumn }.Concat(map.DataColumns).Append(map.IsActiveColumn).Append(map.DeactivatedAtColumn).Append(map.CreatedAtColumn).Append(map.UpdatedAtColumn).Select(c => "s." + Quote(c)))});";
    }

    public override string CreateSeenTable(RosterTableMap map) =>
        $"IF OBJECT_ID('tempdb..{SeenTableName(map)}') IS NULL CREATE TABLE {SeenTableName(map)} (id NVARCHAR(50) NOT NULL PRIMARY KEY); ELSE TRUNCATE TABLE {SeenTableName(map)};";

    public override string InsertSeen(RosterTableMap map, int rows) =>
        $"INSERT INTO {SeenTableName(map)} (id) SELECT DISTINCT v.id FROM (VALUES {string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@k{i})"))}) AS v(id) " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {SeenTableName(map)} s WHERE s.id = v.id)";
}
