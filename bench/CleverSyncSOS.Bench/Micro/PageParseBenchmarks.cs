using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Bench.Micro;

/// <summary>
/// One Clever page of 1 000 students as the simulator serves it: parsing it with a source-generated context,
/// and the per-record work the sync does after parsing (mapping to a row, validating it against the model).
/// </summary>
[MemoryDiagnoser]
public class PageParseBenchmarks
{
    private byte[] _page = [];
    private List<CleverUser> _users = [];
    private RecordValidator _validator = null!;

    [Params(1_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var store = new SimulatorStore(new SimulatorOptions { Seed = 20261127, SchoolsPerDistrict = 1, StudentsPerSchool = Records, TeachersPerSchool = 0 });
        var school = store.Districts[0].Schools[0].Id;
        _page = ReadingPathBenchmarks.SimulatedPage(store, school);
        _users = [.. Parse().Data!.Select(d => d.Data!)];
        using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>().UseSqlite("Data Source=:memory:").Options);
        _validator = new RecordValidator(SyncEntities.Student.Map(db.Model));
    }

    [Benchmark]
    public int ParsePage() => Parse().Data!.Count;

    [Benchmark]
    public int MapAndValidate()
    {
        var valid = 0;
        foreach (var user in _users)
        {
            if (_validator.Validate(SyncEntities.Student.RowsOf(user)[0]) is null)
            {
                valid++;
            }
        }

        return valid;
    }

    private CleverApiResponse<CleverUser> Parse() =>
        JsonSerializer.Deserialize(_page, CleverPageJson.Default.CleverApiResponseCleverUser)!;
}
