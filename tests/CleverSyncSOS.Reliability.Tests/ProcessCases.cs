using System.Diagnostics;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Reliability.Tests.Harness;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Cli;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests;

/// <summary>
/// Issue 8 §2–§4 with the real <c>cleversync</c> executable on a case's data folder: kill -9 at random points of a
/// full sync, two syncs at once, an unusable vault or SessionDb at start, bad configuration and arguments, hostile ids.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class ProcessCases(ITestOutputHelper output)
{

    /// <summary>One small school: these cases are about the process, not the roster's size.</summary>
    private static readonly CaseSetup Small = new() { Schools = 1, Students = 12, Teachers = 2 };

    /// <summary>A command refused at start changes nothing: the databases are compared with Clever's data as they are.</summary>
    private static readonly CaseSetup Untouched = Small with { ResyncBeforeCompare = false };

    private Task Case(string name, string injected, string expected, CaseSetup setup, Func<FaultCase, Task<string>> body) =>
        FaultCase.RunAsync(output, new CaseRow(name, injected, expected), setup, body);

    private static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The line that gives the reason (a configuration error's "- …" line rather than its heading).</summary>
    private static string FirstLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.StartsWith("- ", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "";
    }

    private static async Task<string> RefusedAtStartAsync(FaultCase run, string expected, IDictionary<string, string?> environment, params string[] args)
    {
        var settings = run.CliEnvironment();
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var result = await CliProcess.RunAsync(settings, null, args);
        run.Evidence.Add(result.Output);
        Assert.True(result.ExitCode == 3, result.Output);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
        return $"exit 3: {result.Stderr.Split('\n').Select(l => l.Trim()).First(l => l.Contains(expected, StringComparison.Ordinal))}";
    }

    public static TheoryData<int> KillPoints() => [.. Enumerable.Range(1, 20)];

    /// <summary>
    /// The full sync the kill interrupts has real work: Clever changed since the last sync (adds, edits, removes).
    /// Points are chosen by a seeded random number of data requests (every fifth by a seeded delay from the start, so
    /// start-up, the token and the first writes are hit too); the rerun must reach Clever's data exactly.
    /// </summary>
    [Theory]
    [MemberData(nameof(KillPoints))]
    public Task A_full_sync_killed_at_a_random_point_loses_nothing_and_a_rerun_converges(int point) =>
        Case($"SIGKILL point {point:00}", "kill -9 of `cleversync sync --full` at a seeded random point, then a rerun", "nothing Clever has deleted; rerun converges to Clever's data",
            new CaseSetup { Schools = 2, Students = 30, Teachers = 3, Simulator = o => o.LatencyMilliseconds = 5, Converge = false }, async run =>
            {
                var random = new Random(point);
                var requestsPerSync = run.Simulator.DataRequestCount;
                foreach (var school in run.SchoolIds)
                {
                    run.Simulator.Store.ApplyRandomChanges(school, adds: 6, edits: 6, removes: 3, seed: point * 10 + school.Length);
                }

                var before = await run.ActiveIdsAsync();
                var requestsAtStart = run.Simulator.DataRequestCount;
                var target = point % 5 == 0 ? 0 : 1 + random.Next(Math.Max(1, requestsPerSync - 1));
                var delay = TimeSpan.FromMilliseconds(random.Next(200, 2500));
                var started = Stopwatch.StartNew();
                using var process = CliProcess.Start(run.CliEnvironment(), "sync", "--full");
                process.StandardInput.Close();
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                while (!process.HasExited && (target > 0 ? run.Simulator.DataRequestCount - requestsAtStart < target : started.Elapsed < delay))
                {
                    await Task.Delay(2);
                }

                var killed = !process.HasExited;
                var at = run.Simulator.DataRequestCount - requestsAtStart;
                if (killed)
                {
                    process.Kill(); // SIGKILL
                }

                await process.WaitForExitAsync();
                run.Evidence.Add(await stdout + await stderr);
                SqliteConnection.ClearAllPools();

                var truth = await run.TruthAsync();
                run.LostMidCase = FaultCase.Lost(before, truth, await run.ActiveIdsAsync());
                Assert.Equal(0, run.LostMidCase);

                var rerun = await run.CliAsync("sync", "--full");
                Assert.True(rerun.ExitCode == 0, rerun.Output);
                await run.AssertConvergedAsync();
                var where = target > 0 ? $"after {at} of ~{requestsPerSync} data requests" : $"{delay.TotalMilliseconds:F0} ms after start ({at} data requests)";
                return (killed ? $"killed {where}" : $"finished before the kill point ({where})") + "; 0 lost after the kill; rerun exit 0, converged";
            });

    /// <summary>
    /// The state a kill -9 inside EF Core's migration leaves (its lock row in SQLite, for good): until this case, the
    /// next command waited on that row for ever (seen once as a rerun that never ended, point 15 above).
    /// </summary>
    [Fact]
    public Task A_process_killed_while_migrating_does_not_stop_the_next_sync() =>
        Case("killed while migrating", "EF Core's migration lock row left in session.db and in every school database, as a kill -9 during a migration leaves it", "the next sync removes the stale locks, runs, exit 0",
            Small, async run =>
            {
                SqliteConnection.ClearAllPools();
                var files = new List<string> { Path.Combine(run.Env.DataDir, "session.db") };
                foreach (var school in run.SchoolIds)
                {
                    files.Add(await run.SchoolFileAsync(school));
                }

                foreach (var file in files)
                {
                    await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
                    await connection.OpenAsync();
                    await using var command = connection.CreateCommand();
                    command.CommandText = """
                        CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                        INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-02 03:02:23');
                        """;
                    await command.ExecuteNonQueryAsync();
                }

                run.Simulator.Store.ApplyRandomChanges(run.SchoolIds[0], adds: 2, edits: 2, removes: 1, seed: 7);
                var rerun = await run.CliAsync("sync", "--full");
                Assert.True(rerun.ExitCode == 0, rerun.Output);
                AssertNoStackTrace(rerun);
                await run.AssertConvergedAsync();
                var left = 0L;
                foreach (var file in files)
                {
                    await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
                    await connection.OpenAsync();
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT COUNT(*) FROM \"__EFMigrationsLock\"";
                    left += (long)(await command.ExecuteScalarAsync())!;
                }

                Assert.Equal(0, left);
                return $"{files.Count} databases with a stale lock row; sync exit 0, converged, lock rows left {left}";
            });

    [Fact]
    public Task Two_syncs_on_one_data_folder_never_sync_one_school_twice_at_once() =>
        Case("two sync processes at once", "two `cleversync sync --full` started together on the same data folder", "each school synced by one of them; the other says it is held; nothing lost, history clean",
            new CaseSetup { Schools = 3, Students = 30, Teachers = 3, Simulator = o => o.LatencyMilliseconds = 20 }, async run =>
            {
                foreach (var school in run.SchoolIds)
                {
                    run.Simulator.Store.ApplyRandomChanges(school, adds: 4, edits: 4, removes: 2, seed: 2);
                }

                var results = await Task.WhenAll(run.CliAsync("sync", "--full"), run.CliAsync("sync", "--full"));
                Assert.All(results, r => Assert.True(r.ExitCode is 0 or 1 or 2, r.Output));
                Assert.All(results, AssertNoStackTrace);
                // One process may take every school or they may split them (each then exits 1 for the ones it was
                // refused): what matters is that every school was synced, by exactly one of them.
                Assert.All(run.Env.District.Schools, school =>
                    Assert.Equal(1, results.Count(r => r.Stdout.Contains("✓ " + school.Name, StringComparison.Ordinal))));
                await using var db = await run.Env.SessionDbAsync();
                var history = await db.SyncHistory.AsNoTracking().ToListAsync();
                Assert.DoesNotContain(history, h => h.ErrorMessage == SyncHistoryRecorder.InterruptedMessage);
                Assert.DoesNotContain(history, h => h.Status == SyncStatus.InProgress);
                await run.AssertConvergedAsync();
                var held = results.Sum(r => r.Output.Split("being synced by").Length - 1);
                return $"exit codes {results[0].ExitCode} and {results[1].ExitCode}; {held} school(s) reported as held by the other process; converged";
            });

    [Fact]
    public Task Key_Vault_unreachable_at_start_is_named_and_touches_nothing() =>
        Case("Key Vault unreachable at start", "`sync` with Secrets:Provider KeyVault at https://127.0.0.1:1/ (connection refused)", "exit 3 naming Key Vault, no stack trace, databases untouched", Untouched, run =>
            RefusedAtStartAsync(run, "Key Vault https://127.0.0.1:1/", new Dictionary<string, string?>
            {
                ["CleverSyncSOS__Secrets__Provider"] = "KeyVault",
                ["CleverSyncSOS__Secrets__VaultUri"] = "https://127.0.0.1:1/",
            }, "sync", "--full"));

    [Fact]
    public Task A_corrupt_SessionDb_is_named_and_the_schools_are_untouched() =>
        Case("SessionDb corrupt", "session.db overwritten with garbage (a copy kept aside)", "exit 3 naming the SessionDb, no stack trace", Untouched, async run =>
        {
            var file = Path.Combine(run.Env.DataDir, "session.db");
            SqliteConnection.ClearAllPools();
            File.Copy(file, file + ".aside");
            await File.WriteAllTextAsync(file, new string('x', 8192));
            run.OnEnd(() =>
            {
                SqliteConnection.ClearAllPools();
                File.Move(file + ".aside", file, overwrite: true);
                return Task.CompletedTask;
            });
            return await RefusedAtStartAsync(run, "file is not a database", new Dictionary<string, string?>(), "sync", "--full");
        });

    [Fact]
    public Task A_read_only_SessionDb_fails_the_command_cleanly() =>
        Case("SessionDb read-only", "session.db made immutable (chattr +i)", "a clear error and a non-zero exit, no stack trace, school databases untouched", Untouched, async run =>
        {
            var file = Path.Combine(run.Env.DataDir, "session.db");
            SqliteConnection.ClearAllPools();
            using (var chattr = Process.Start("chattr", ["+i", file]))
            {
                await chattr.WaitForExitAsync();
                if (chattr.ExitCode != 0)
                {
                    return "skipped: chattr +i is refused on this filesystem";
                }
            }

            run.OnEnd(async () =>
            {
                using var undo = Process.Start("chattr", ["-i", file]);
                await undo.WaitForExitAsync();
                SqliteConnection.ClearAllPools();
            });
            var result = await run.CliAsync("sync", "--full");
            Assert.NotEqual(0, result.ExitCode);
            AssertNoStackTrace(result);
            return $"exit {result.ExitCode}: {FirstLine(result.Stderr + "\n" + result.Stdout)}";
        });

    [Theory]
    [InlineData("CleverSyncSOS__Sync__MaxParallelSchools", "abc", "CleverSyncSOS:Sync:MaxParallelSchools")]
    [InlineData("CleverSyncSOS__Databases__SchoolDbProvider", "Oracle", "CleverSyncSOS:Databases:SchoolDbProvider")]
    [InlineData("CleverSyncSOS__Sync__MassDeletionThresholdPercent", "NaN", "MassDeletionThresholdPercent")]
    public Task A_bad_setting_is_refused_at_start_naming_its_key(string variable, string value, string key) =>
        Case($"bad configuration: {key.Split(':').Last()}={value}", $"{variable}={value}", "exit 3 naming the key, no stack trace", Untouched, run =>
            RefusedAtStartAsync(run, key, new Dictionary<string, string?> { [variable] = value }, "sync", "--full"));

    [Theory]
    [InlineData("CleverSyncSOS__CleverApi__BaseUrl", "http://api.clever.com/v3.0/", "CleverSyncSOS:CleverApi:BaseUrl")]
    [InlineData("CleverSyncSOS__CleverAuth__TokenEndpoint", "http://clever.com/oauth/tokens", "CleverSyncSOS:CleverAuth:TokenEndpoint")]
    [InlineData("CleverSyncSOS__Secrets__VaultUri", "http://vault.example.org/", "CleverSyncSOS:Secrets:VaultUri")]
    public Task A_non_loopback_URL_without_TLS_is_refused(string variable, string value, string key) =>
        Case($"TLS required: {key.Split(':').Last()}", $"{variable}={value} (plain HTTP to a non-loopback host)", "exit 3 naming the key: credentials never travel unencrypted", Untouched, run =>
            RefusedAtStartAsync(run, key, new Dictionary<string, string?>
            {
                [variable] = value,
                ["CleverSyncSOS__Secrets__Provider"] = variable.Contains("Vault", StringComparison.Ordinal) ? "KeyVault" : "Local",
            }, "sync", "--full"));

    [Theory]
    [InlineData("sync", "--bogus")]
    [InlineData("no-such-command")]
    [InlineData("sync", "--school")]
    public Task Bad_arguments_get_a_usage_error_and_exit_3(params string[] args) =>
        Case($"bad CLI arguments: {string.Join(' ', args)}", $"`cleversync {string.Join(' ', args)}`", "usage error, exit 3, no stack trace", Untouched, async run =>
        {
            var result = await run.CliAsync(args);
            Assert.True(result.ExitCode == 3, result.Output);
            AssertNoStackTrace(result);
            Assert.Contains("Usage:", result.Stdout + result.Stderr, StringComparison.Ordinal);
            return $"exit 3: {FirstLine(result.Stderr)}";
        });

    [Fact]
    public Task A_school_id_that_climbs_out_of_the_data_folder_is_refused_or_contained() =>
        Case("path traversal in a school id", "`school add --id ../../../../tmp/evil` and `--id ..%2f..%2fx`", "refused with a clear message or kept inside the data folder; no file outside it", Small, async run =>
        {
            var outside = Path.GetFullPath(Path.Combine(run.Env.DataDir, ".."));
            var filesBefore = Directory.GetFiles(outside, "*", SearchOption.TopDirectoryOnly).Length;
            var results = new List<CliResult>();
            foreach (var id in new[] { "../../../../tmp/evil", "..%2f..%2fx", "/etc/passwd" })
            {
                var result = await run.CliAsync("school", "add", "--district", run.Env.District.Id, "--id", id, "--name", "Evil");
                AssertNoStackTrace(result);
                results.Add(result);
            }

            Assert.Equal(filesBefore, Directory.GetFiles(outside, "*", SearchOption.TopDirectoryOnly).Length);
            Assert.False(File.Exists("/tmp/evil.db"));
            var dataDir = Path.GetFullPath(run.Env.DataDir);
            Assert.All(Directory.GetFiles(dataDir, "*.db", SearchOption.AllDirectories), f => Assert.StartsWith(dataDir, Path.GetFullPath(f), StringComparison.Ordinal));
            return string.Join("; ", results.Select(r => $"exit {r.ExitCode}: {FirstLine(r.Stderr + "\n" + r.Stdout)}"));
        });

    [Fact]
    public Task SQL_in_a_school_id_never_reaches_PostgreSQL_as_SQL() =>
        Case("SQL in a school id (PostgreSQL)", "`school add --id 'x\"; DROP DATABASE postgres; --'` with school databases on PostgreSQL", "refused with a clear message, or created under a quoted name; the server untouched",
            Small with { Provider = TestDatabases.PostgresServer is null ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql }, async run =>
            {
                var result = await run.CliAsync("school", "add", "--district", run.Env.District.Id, "--id", "x\"; DROP DATABASE postgres; --", "--name", "Tables");
                AssertNoStackTrace(result);
                if (run.Env.Provider == DatabaseProvider.PostgreSql)
                {
                    await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Database = "postgres" }.ToString());
                    await connection.OpenAsync();
                    await using var check = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = 'postgres'", connection);
                    Assert.Equal(1L, (long)(await check.ExecuteScalarAsync())!);
                }

                return $"{run.Env.Provider}: exit {result.ExitCode}: {FirstLine(result.Stderr + "\n" + result.Stdout)}";
            });

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public Task Secrets_json_is_owner_only_and_a_readable_one_is_not_used_as_it_is() =>
        Case("secrets.json modes", "secrets.json checked after onboarding, then chmod 0666 and `status`", "created 0600; a world-readable one is refused or fixed with a warning", Small, async run =>
        {
            var file = Path.Combine(run.Env.DataDir, "secrets.json");
            var created = File.GetUnixFileMode(file);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, created);
            File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
            var result = await run.CliAsync("status");
            AssertNoStackTrace(result);
            var after = File.GetUnixFileMode(file);
            var fixedOrRefused = after == (UnixFileMode.UserRead | UnixFileMode.UserWrite) || result.ExitCode != 0;
            Assert.True(fixedOrRefused, result.Output);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return $"created {Convert.ToString((int)created, 8)}; 0666 -> exit {result.ExitCode}, mode now {Convert.ToString((int)after, 8)}: {FirstLine(result.Stderr)}";
        });

    [Fact]
    public Task Two_schools_whose_ids_differ_only_in_case_get_two_databases() =>
        Case("per-school isolation (AB / ab)", "`school add --id AB` and `--id ab` in one district", "two distinct databases; neither sync touches the other's", Small, async run =>
        {
            foreach (var id in new[] { "AB", "ab", "a.b", "a_b" })
            {
                var result = await run.CliAsync("school", "add", "--district", run.Env.District.Id, "--id", id, "--name", "Twin " + id);
                AssertNoStackTrace(result);
                Assert.True(result.ExitCode == 0, result.Output);
            }

            await using var db = await run.Env.SessionDbAsync();
            var names = await db.Schools.AsNoTracking().Where(s => s.CleverSchoolId == "AB" || s.CleverSchoolId == "ab" || s.CleverSchoolId == "a.b" || s.CleverSchoolId == "a_b")
                .Select(s => s.DatabaseName).ToListAsync();
            Assert.Equal(4, names.Distinct().Count());
            var twins = await run.CliAsync("sync", "--school", "AB");
            AssertNoStackTrace(twins);
            return $"databases {string.Join(", ", names)}";
        });
}
