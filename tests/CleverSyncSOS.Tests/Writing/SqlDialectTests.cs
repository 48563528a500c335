using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.Writing;

/// <summary>
/// SQL Server cannot run here, so its statements are checked as text; SQLite and PostgreSQL statements are
/// also executed by the integration tests.
/// </summary>
public sealed class SqlDialectTests
{
    private static RosterTableMap StudentMap(DatabaseProvider provider, string connectionString)
    {
        using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(provider, connectionString).Options);
        return SyncEntities.Student.Map(db.Model);
    }

    [Fact]
    public void SQL_Server_upsert_is_one_MERGE_that_updates_only_changed_rows_and_inserts_new_ones()
    {
        var map = StudentMap(DatabaseProvider.SqlServer, "Server=127.0.0.1;Database=unused;TrustServerCertificate=true");

        var sql = new SqlServerDialect().Upsert(map, rows: 2);

        Assert.StartsWith("MERGE INTO [Students] WITH (HOLDLOCK) AS t", sql);
        Assert.Contains("ON t.[CleverStudentId] = s.[CleverStudentId]", sql);
        Assert.Contains("(@p0_0, @p0_1, @p0_2, @p0_3, @p0_4, @p0_5, @p0_6, 1, NULL, @now, @now)", sql);
        Assert.Contains("(@p1_0, @p1_1, @p1_2, @p1_3, @p1_4, @p1_5, @p1_6, 1, NULL, @now, @now)", sql);
        Assert.DoesNotContain("@p2_0", sql);
        // Null-safe change detection on every data column and IsActive; CreatedAt is never overwritten.
        foreach (var column in new[] { "FirstName", "LastName", "Email", "Grade", "StudentNumber", "LastModifiedInClever", "IsActive" })
        {
            Assert.Contains($"EXISTS (SELECT t.[{column}] EXCEPT SELECT s.[{column}])", sql);
        }

        Assert.Contains("WHEN NOT MATCHED THEN INSERT ([CleverStudentId], [FirstName], [LastName], [Email], [Grade], [StudentNumber], [LastModifiedInClever], [IsActive], [DeactivatedAt], [CreatedAt], [UpdatedAt])", sql);
        var update = sql[sql.IndexOf("UPDATE SET", StringComparison.Ordinal)..sql.IndexOf("WHEN NOT MATCHED", StringComparison.Ordinal)];
        Assert.DoesNotContain("CreatedAt", update);
        Assert.Contains("t.[UpdatedAt] = s.[UpdatedAt]", update);
        Assert.EndsWith(";", sql);
    }

    [Fact]
    public void SQL_Server_keeps_the_seen_keys_in_a_temp_table_and_prunes_with_the_seed_rule()
    {
        var map = StudentMap(DatabaseProvider.SqlServer, "Server=127.0.0.1;Database=unused;TrustServerCertificate=true");
        var dialect = new SqlServerDialect();

        Assert.Contains("CREATE TABLE #cleversync_seen_students (id NVARCHAR(50) NOT NULL PRIMARY KEY)", dialect.CreateSeenTable(map));
        Assert.Contains("WHERE NOT EXISTS (SELECT 1 FROM #cleversync_seen_students s WHERE s.id = v.id)", dialect.InsertSeen(map, 3));
        Assert.Equal("UPDATE [Students] SET [IsActive] = 0, [DeactivatedAt] = @now WHERE NOT EXISTS (SELECT 1 FROM #cleversync_seen_students s WHERE s.id = [Students].[CleverStudentId])",
            dialect.DeactivateMissing(map));
        Assert.Equal("DELETE FROM [Students] WHERE [IsActive] = 0", dialect.DeleteInactive(map));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=unused.db", "IS NOT")]
    [InlineData(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=unused", "IS DISTINCT FROM")]
    public void Sqlite_and_PostgreSQL_upserts_use_ON_CONFLICT_with_a_null_safe_change_check(DatabaseProvider provider, string connectionString, string distinct)
    {
        var map = StudentMap(provider, connectionString);

        var sql = SqlDialect.For(provider).Upsert(map, rows: 1);

        Assert.Contains("ON CONFLICT (\"CleverStudentId\") DO UPDATE SET", sql);
        Assert.Contains($"\"Students\".\"FirstName\" {distinct} excluded.\"FirstName\"", sql);
        Assert.DoesNotContain("\"CreatedAt\" = excluded", sql);
    }

    [Fact]
    public void SQL_Server_enrollment_statements_read_and_prune_one_section_through_the_temp_table()
    {
        using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>()
            .UseProvider(DatabaseProvider.SqlServer, "Server=127.0.0.1;Database=unused;TrustServerCertificate=true").Options);
        var map = SyncEntities.SectionStudent.Map(db.Model);
        var dialect = new SqlServerDialect();

        Assert.Equal(("EnrollmentKey", "CleverSectionId"), (map.KeyColumn, map.GroupColumn));
        Assert.Equal("SELECT t.[CleverSectionId], COUNT(*), SUM(CASE WHEN s.id IS NULL THEN 1 ELSE 0 END) FROM [SectionStudents] t " +
                     "LEFT JOIN #cleversync_seen_sectionstudents s ON s.id = t.[EnrollmentKey] GROUP BY t.[CleverSectionId]", dialect.CountMissingByGroup(map));
        Assert.Equal("DELETE FROM [SectionStudents] WHERE [CleverSectionId] = @g AND [EnrollmentKey] NOT IN (@k0, @k1)", dialect.DeleteGroupExcept(map, 2));
        Assert.Equal("DELETE FROM [SectionStudents] WHERE [CleverSectionId] = @g", dialect.DeleteGroupExcept(map, 0));
        Assert.Equal("SELECT t.[EnrollmentKey], t.[CleverSectionId], t.[CleverStudentId], t.[IsActive] FROM [SectionStudents] t " +
                     "WHERE NOT EXISTS (SELECT 1 FROM #cleversync_seen_sectionstudents s WHERE s.id = t.[EnrollmentKey])", dialect.SelectMissingRows(map));
    }
}
