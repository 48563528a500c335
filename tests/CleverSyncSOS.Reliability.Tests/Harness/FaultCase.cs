using System.Text;
using System.Text.Json;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Cli;
using CleverSyncSOS.Tests.Fleet;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests.Harness;

/// <summary>How a case's district and service are set up.</summary>
public sealed record CaseSetup
{
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;
    public int Schools { get; init; } = 2;
    public int Students { get; init; } = 30;
    public int Teachers { get; init; } = 4;
    public Action<SimulatorOptions>? Simulator { get; init; }
    public Action<Dictionary<string, string?>>? Settings { get; init; }
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; init; }

    /// <summary>A first, clean sync before the fault, so there is something to lose.</summary>
    public bool Baseline { get; init; } = true;

    /// <summary>After the case, faults off, every school database is compared with Clever's data.</summary>
    public bool Converge { get; init; } = true;

    /// <summary>One more full sync before that comparison; off for cases that changed nothing (refused at start).</summary>
    public bool ResyncBeforeCompare { get; init; } = true;
}

/// <summary>
/// A case in progress: the real service (its composition root) behind a <see cref="HostileCleverProxy"/> in front of
/// the simulator, real databases, and the evidence collected for the secret scan.
/// </summary>
public sealed class FaultCase(SyncTestEnvironment env, CaseEvidence evidence)
{
    /// <summary>A run that hangs is a failure too: bounded here so the case reports it instead of waiting for ever.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    public SyncTestEnvironment Env { get; } = env;
    public HostileCleverProxy Proxy => Env.Proxy!;
    public CleverSimulator Simulator => Env.Simulator;
    public CaseEvidence Evidence { get; } = evidence;
    public IReadOnlyList<string> SchoolIds => Env.District.Schools.Select(s => s.Id).ToList();

    /// <summary>"Failed: why" for each school, in one line, as the table's result.</summary>
    public static string Describe(IEnumerable<SchoolSyncResult> results) =>
        string.Join("; ", results.Select(r => r.Status + (r.Error is { } error ? ": " + error : r.Entities.FirstOrDefault(e => e.Warning is not null)?.Warning is { } warning ? ": " + warning : "")).Distinct());

    private readonly List<Func<Task>> _cleanups = [];

    /// <summary>Undoes what the case did to the machine (a mount, an immutable file) before the folder is deleted.</summary>
    public void OnEnd(Func<Task> cleanup) => _cleanups.Add(cleanup);

    /// <summary>The school's SQLite file (embedded databases).</summary>
    public async Task<string> SchoolFileAsync(string cleverSchoolId) =>
        Path.Combine(Env.DataDir, "schools", (await Env.SchoolAsync(cleverSchoolId)).DatabaseName + ".db");

    /// <summary>
    /// Runs the real executable on the case's data folder, pointed at the proxy, with the case's settings and every log
    /// level down to Trace; its output joins the evidence scanned for secrets.
    /// </summary>
    public async Task<CliResult> CliAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync(CliEnvironment(), null, args);
        Evidence.Add(result.Output);
        return result;
    }

    public Dictionary<string, string?> CliEnvironment()
    {
        var environment = CleverSyncCli.Environment(Env.Settings);
        environment["Logging__LogLevel__Default"] = "Trace";
        return environment;
    }

    /// <summary>Records lost the case counted itself at a moment of its own (after a kill, before the rerun).</summary>
    public int LostMidCase { get; set; }

    /// <summary>Further credentials the case put in play (a wrong secret, a vault token...), for the scan.</summary>
    public List<string> ExtraSecrets { get; } = [];

    public async Task<IReadOnlyList<SchoolSyncResult>> SyncAsync(SyncRequest? request = null)
    {
        var results = await Env.SyncAsync(request ?? new SyncRequest()).WaitAsync(Bound);
        foreach (var result in results)
        {
            Evidence.Add(result.Error);
            foreach (var entity in result.Entities)
            {
                Evidence.Add(entity.Error);
                Evidence.Add(entity.Warning);
            }
        }

        return results;
    }

    /// <summary>Active student and teacher ids of every school database ("s:" and "t:" prefixed).</summary>
    public async Task<Dictionary<string, HashSet<string>>> ActiveIdsAsync()
    {
        var ids = new Dictionary<string, HashSet<string>>();
        foreach (var school in SchoolIds)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith((await Env.StudentsAsync(school)).Where(s => s.IsActive).Select(s => "s:" + s.CleverStudentId));
            set.UnionWith((await Env.TeachersAsync(school)).Where(t => t.IsActive).Select(t => "t:" + t.CleverTeacherId));
            ids[school] = set;
        }

        return ids;
    }

    public async Task<Dictionary<string, HashSet<string>>> TruthAsync()
    {
        using var reader = Env.Reader();
        var truth = new Dictionary<string, HashSet<string>>();
        foreach (var school in SchoolIds)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith((await reader.GetSchoolUsersAsync(school, "student")).Select(p => "s:" + p.Id));
            set.UnionWith((await reader.GetSchoolUsersAsync(school, "teacher")).Select(p => "t:" + p.Id));
            truth[school] = set;
        }

        return truth;
    }

    /// <summary>Rows the database had, Clever still has, and the database no longer has (or has deactivated).</summary>
    public static int Lost(Dictionary<string, HashSet<string>> before, Dictionary<string, HashSet<string>> truth, Dictionary<string, HashSet<string>> after) =>
        before.Sum(school => school.Value.Count(id => truth[school.Key].Contains(id) && !after[school.Key].Contains(id)));

    /// <summary>Every school database equals what Clever serves, field by field.</summary>
    public async Task AssertConvergedAsync(int pageSize = 100)
    {
        using var reader = Env.Reader(pageSize);
        foreach (var school in SchoolIds)
        {
            RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school, "student"), await Env.StudentsAsync(school), school);
            RosterAssert.TeachersEqual(await reader.GetSchoolUsersAsync(school, "teacher"), await Env.TeachersAsync(school), school);
        }
    }

    public async Task<IEnumerable<string>> SessionRowsAsync()
    {
        await using var db = await Env.SessionDbAsync();
        return (await db.SyncHistory.AsNoTracking().ToListAsync()).Select(r => JsonSerializer.Serialize(r))
            .Concat((await db.SyncRuns.AsNoTracking().ToListAsync()).Select(r => JsonSerializer.Serialize(r)))
            .Concat((await db.SyncRunSchools.AsNoTracking().ToListAsync()).Select(r => JsonSerializer.Serialize(r)))
            .ToList();
    }

    /// <summary>
    /// Runs one case: set up, baseline sync, the case's fault and checks (<paramref name="body"/> returns what
    /// happened, in a few words), then faults off: records lost counted, convergence checked, secrets scanned,
    /// and the row recorded whatever the outcome.
    /// </summary>
    public static async Task RunAsync(ITestOutputHelper output, CaseRow row, CaseSetup setup, Func<FaultCase, Task<string>> body)
    {
        using var evidence = CaseEvidence.Begin();
        var recorded = row with { Result = "did not finish" };
        try
        {
            var simulator = SyncTestEnvironment.SmallDistrict(setup.Students, setup.Teachers, setup.Schools);
            setup.Simulator?.Invoke(simulator);
            var rateLimit = simulator.RateLimitPerMinute;
            await using var env = await SyncTestEnvironment.StartAsync(simulator, s =>
            {
                s["CleverSyncSOS:CleverApi:PageSize"] = "10";
                s["CleverSyncSOS:CleverApi:RequestTimeoutSeconds"] = "5";
                s["CleverSyncSOS:CleverAuth:RequestTimeoutSeconds"] = "5";
                setup.Settings?.Invoke(s);
            }, setup.Services, setup.Provider, behindProxy: true);
            var run = new FaultCase(env, evidence);
            await env.OnboardAsync();
            if (setup.Baseline)
            {
                var baseline = await run.SyncAsync();
                Assert.All(baseline, r => Assert.True(r.Status == SyncStatus.Success, $"baseline sync of {r.CleverSchoolId}: {r.Status} {r.Error}"));
            }

            var before = await run.ActiveIdsAsync();
            string result;
            try
            {
                result = await body(run);
            }
            finally
            {
                env.Simulator.Faults.Clear();
                env.Simulator.Faults.LatencyMilliseconds = 0;
                env.Simulator.Faults.RateLimitPerMinute = rateLimit;
                env.Simulator.Faults.ResetRateLimitWindows();
                env.Proxy!.Rewrite = null;
                foreach (var cleanup in run._cleanups)
                {
                    await cleanup();
                }
            }

            // Nothing there before the case (no baseline): nothing to lose, and no need to read Clever again.
            var lost = run.LostMidCase + (before.Values.All(ids => ids.Count == 0) ? 0 : Lost(before, await run.TruthAsync(), await run.ActiveIdsAsync()));
            recorded = recorded with { Result = result, RecordsLost = lost };
            if (setup.Converge)
            {
                // School by school: a case may have onboarded schools Clever does not have (crafted ids).
                var again = new List<SchoolSyncResult>();
                foreach (var school in setup.ResyncBeforeCompare ? run.SchoolIds : [])
                {
                    again.AddRange(await run.SyncAsync(new SyncRequest(School: school, ForceFull: true)));
                }

                Assert.All(again, r => Assert.True(r.Status == SyncStatus.Success, $"sync after the fault, {r.CleverSchoolId}: {r.Status} {r.Error}"));
                await run.AssertConvergedAsync();
                recorded = recorded with { Result = result + (setup.ResyncBeforeCompare ? "; then converged" : "; databases equal to Clever's data") };
            }

            var secrets = new List<string>(run.ExtraSecrets)
            {
                env.District.ClientSecret,
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{env.District.ClientId}:{env.District.ClientSecret}")),
            };
            secrets.AddRange(SecretScan.FromAuthorizationHeaders(run.Proxy.Requests.Select(r => r.Authorization)));
            var (found, where) = SecretScan.Find(secrets, new Dictionary<string, IEnumerable<string>>
            {
                ["log lines"] = env.Logs.Lines,
                ["traces"] = evidence.Traces,
                ["errors and exceptions"] = evidence.Texts,
                ["SessionDb rows"] = await run.SessionRowsAsync(),
            });
            recorded = recorded with { SecretsFound = found };
            Assert.True(found == 0, "secrets found: " + string.Join(", ", where));
            Assert.True(lost == 0, $"{lost} records Clever still has were lost");
            recorded = recorded with { Passed = true };
        }
        catch (Exception e)
        {
            recorded = recorded with { Result = $"{recorded.Result}; FAILED: {e.Message}" };
            throw;
        }
        finally
        {
            CaseTable.Record(recorded);
            output.WriteLine($"{recorded.Name}: {recorded.Result} (lost {recorded.RecordsLost}, secrets {recorded.SecretsFound})");
        }
    }
}
