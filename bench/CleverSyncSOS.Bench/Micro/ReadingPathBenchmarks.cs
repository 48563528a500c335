using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Reading;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Bench.Micro;

/// <summary>
/// The full sync's reading path, step by step, on one page of 10 000 students as the simulator serves it: the raw
/// parse the bench's raw-fetch baseline does, then the service's own client (buffering handler, lenient parse, paging
/// checks) over an in-memory answer, then the whole reader (scope checks, mapping, validation, batching into the
/// writer's channel). What each step adds is the difference to the one before it; allocations are per page.
/// </summary>
[MemoryDiagnoser]
public class ReadingPathBenchmarks
{
    private byte[] _page = [];
    private CleverApiClient _client = null!;
    private SourceReader _reader = null!;
    private List<CleverUser> _users = [];
    private RecordValidator _validator = null!;
    private IReadOnlyList<(SyncEntity Entity, RosterTableMap Map)> _tables = [];
    private readonly DistrictCredentials _district = new("district", new CredentialReference("id", "secret", null));
    private ReadScope _scope = null!;

    public int PageBytes => _page.Length;

    [Params(10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var store = new SimulatorStore(new SimulatorOptions { Seed = 20261202, SchoolsPerDistrict = 1, StudentsPerSchool = Records, TeachersPerSchool = 0 });
        var school = store.Districts[0].Schools[0].Id;
        _scope = new ReadScope(store.Districts[0].Id, school);
        _page = SimulatedPage(store, school);
        var http = new HttpClient(new CleverResponseBuffering { InnerHandler = new FixedAnswer(_page) }) { BaseAddress = new Uri("http://127.0.0.1/v3.0/") };
        var options = Options.Create(new CleverApiOptions { PageSize = Records });
        _client = new CleverApiClient(http, new FixedToken(), options);
        _reader = new SourceReader(_client, NullLogger<SourceReader>.Instance);
        _users = [.. JsonSerializer.Deserialize(_page, CleverPageJson.Default.CleverApiResponseCleverUser)!.Data!.Select(d => d.Data!)];
        using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>().UseSqlite("Data Source=:memory:").Options);
        var map = SyncEntities.Student.Map(db.Model);
        _validator = new RecordValidator(map);
        _tables = [(SyncEntities.Student, map)];
    }

    /// <summary>What the raw-fetch baseline does with a page: one source-generated deserialization of the bytes.</summary>
    [Benchmark(Baseline = true)]
    public int RawParse() => JsonSerializer.Deserialize(_page, CleverPageJson.Default.CleverApiResponseCleverUser)!.Data!.Count;

    /// <summary>The floor of any parse: every token of the page read once, nothing materialized.</summary>
    [Benchmark]
    public int TokensOnly()
    {
        var reader = new Utf8JsonReader(_page);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    /// <summary>The same bytes through the service's own JSON context (its lenient text converter on every string): how it read users before.</summary>
    [Benchmark]
    public int ServiceContextParse() => JsonSerializer.Deserialize(_page, CleverJsonContext.Default.CleverApiResponseCleverUser)!.Data!.Count;

    /// <summary>The service's own parser of user pages: one forward pass, only the fields the sync uses.</summary>
    [Benchmark]
    public int UserPageParse() => CleverUserPageParser.Instance.Parse(_page).Records!.Count;

    /// <summary>The service's client: buffering handler, the page's parse with the service's lenient rules, paging checks.</summary>
    [Benchmark]
    public async Task<int> ClientReadsPage()
    {
        var count = 0;
        await foreach (var _ in _client.GetSchoolUsersAsync(_district, _scope.CleverSchoolId, "student", CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    /// <summary>Per record after parsing: a row of the Student table, validated against the model.</summary>
    [Benchmark]
    public int MapAndValidate()
    {
        var valid = 0;
        foreach (var user in _users)
        {
            if (SyncEntities.StudentUsers.Mismatch(user, _scope) is null && _validator.Validate(SyncEntities.Student.RowsOf(user)[0]) is null)
            {
                valid++;
            }
        }

        return valid;
    }

    /// <summary>The whole reading path of a full sync: client, scope checks, mapping, validation, batches into the writer's channel.</summary>
    [Benchmark]
    public async Task<int> SourceReaderReadsPage()
    {
        var batches = Channel.CreateUnbounded<ReadBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var result = await _reader.ReadAsync(SyncEntities.StudentUsers, _tables, _scope, _district, 5_000, batches.Writer, collectIds: false, CancellationToken.None);
        return result.Read;
    }

    /// <summary>A page as the simulator's users endpoint writes it (no next link: the read ends after it).</summary>
    internal static byte[] SimulatedPage(SimulatorStore store, string school)
    {
        var data = new JsonArray();
        foreach (var id in store.GetUserIds(school, "student"))
        {
            data.Add(new JsonObject { ["data"] = store.GetUser(id), ["uri"] = $"/v3.0/users/{id}" });
        }

        var page = new JsonObject
        {
            ["data"] = data,
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["uri"] = $"/v3.0/schools/{school}/users?role=student" }),
        };
        return Encoding.UTF8.GetBytes(page.ToJsonString());
    }

    private sealed class FixedAnswer(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new MemoryStream(body, writable: false));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    private sealed class FixedToken : ICleverTokenProvider
    {
        private static readonly CleverAuthToken Token = new("token", null, "read:users", "bearer", DateTime.UtcNow);

        public Task<CleverAuthToken> GetTokenAsync(DistrictCredentials district, CancellationToken cancellationToken) => Task.FromResult(Token);
        public Task<CleverAuthToken> CheckAsync(DistrictCredentials district, CancellationToken cancellationToken) => Task.FromResult(Token);
        public void Invalidate(string cleverDistrictId, string accessToken) { }
    }
}
