using BenchmarkDotNet.Attributes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Bench.Micro;

/// <summary>Building the bulk writer's multi-row upsert text (done once per batch size and connection, then prepared).</summary>
[MemoryDiagnoser]
public class SqlGenerationBenchmarks
{
    private RosterTableMap _map = null!;
    private SqlDialect _dialect = null!;

    [Params(DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql)]
    public DatabaseProvider Provider { get; set; }

    [Params(1, 500)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(Provider, Provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=127.0.0.1").Options;
        using var db = new SchoolDbContext(options);
        _map = SyncEntities.Student.Map(db.Model);
        _dialect = SqlDialect.For(Provider);
    }

    [Benchmark]
    public int Upsert() => _dialect.Upsert(_map, Rows).Length;
}
