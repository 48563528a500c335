using System.Diagnostics;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Reliability.Tests.Harness;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Credentials;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests;

/// <summary>Issue 8 §2, faults on our side: the school databases, the vault, the disk.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class OurSideCases(ITestOutputHelper output)
{
    /// <summary>A locked database is waited for this long, not the default five minutes.</summary>
    private static readonly CaseSetup ShortCommandTimeout = new() { Settings = s => s["CleverSyncSOS:Databases:CommandTimeoutSeconds"] = "2" };

    private Task Case(string name, string injected, string expected, CaseSetup setup, Func<FaultCase, Task<string>> body) =>
        FaultCase.RunAsync(output, new CaseRow(name, injected, expected), setup, body);

    /// <summary>School 1 fails with a clear error, school 2 syncs: one school's broken database is that school's problem alone.</summary>
    private static async Task<string> FirstSchoolFailsAloneAsync(FaultCase run)
    {
        run.Simulator.Store.ApplyRandomChanges(run.SchoolIds[0], adds: 5, edits: 5, removes: 2, seed: 3);
        run.Simulator.Store.ApplyRandomChanges(run.SchoolIds[1], adds: 5, edits: 5, removes: 2, seed: 4);
        var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
        Assert.Equal(SyncStatus.Failed, results.Single(r => r.CleverSchoolId == run.SchoolIds[0]).Status);
        Assert.Equal(SyncStatus.Success, results.Single(r => r.CleverSchoolId == run.SchoolIds[1]).Status);
        Assert.DoesNotContain("   at ", results[0].Error ?? "", StringComparison.Ordinal);
        return FaultCase.Describe(results);
    }

    private static async Task<int> ShAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [Fact]
    public Task A_PostgreSQL_school_database_that_cannot_be_reached_fails_alone() =>
        Case("school database unreachable (PostgreSQL wrong port)", "school 1's connection string points at port 1", "school 1 Failed with a clear error, school 2 Success",
            new CaseSetup { Provider = TestDatabases.PostgresServer is null ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql }, async run =>
            {
                if (run.Env.Provider != DatabaseProvider.PostgreSql)
                {
                    return "skipped: no PostgreSQL server (CLEVERSYNC_TEST_POSTGRES unset)";
                }

                var store = run.Env.Services.GetRequiredService<ISecretStore>();
                var name = (await run.Env.SchoolAsync(run.SchoolIds[0])).KeyVaultConnectionStringSecretName!;
                var good = (await store.GetSecretAsync(name, CancellationToken.None))!;
                run.ExtraSecrets.Add(new Npgsql.NpgsqlConnectionStringBuilder(good).Password ?? "");
                await store.SetSecretAsync(name, new Npgsql.NpgsqlConnectionStringBuilder(good) { Port = 1, Timeout = 3 }.ToString(), CancellationToken.None);
                run.OnEnd(() => store.SetSecretAsync(name, good, CancellationToken.None));
                return await FirstSchoolFailsAloneAsync(run);
            });

    [Fact]
    public Task A_SQLite_school_database_locked_by_another_process_fails_alone() =>
        Case("school database locked by another process", "a sqlite3 process holds BEGIN EXCLUSIVE on school 1's file", "school 1 Failed (busy), school 2 Success", ShortCommandTimeout, async run =>
        {
            var file = await run.SchoolFileAsync(run.SchoolIds[0]);
            var holder = Process.Start(new ProcessStartInfo("python3", ["-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()", file])
            { RedirectStandardInput = true, RedirectStandardOutput = true })!;
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
            run.OnEnd(async () =>
            {
                holder.StandardInput.Close();
                await holder.WaitForExitAsync();
                holder.Dispose();
            });
            return await FirstSchoolFailsAloneAsync(run);
        });

    [Fact]
    public Task A_read_only_SQLite_school_database_fails_alone() =>
        Case("school database read-only", "school 1's file made immutable (chattr +i: root ignores file modes)", "school 1 Failed (read-only), school 2 Success", new CaseSetup(), async run =>
        {
            var file = await run.SchoolFileAsync(run.SchoolIds[0]);
            SqliteConnection.ClearAllPools();
            if (await ShAsync($"chattr +i '{file}'") != 0)
            {
                return "skipped: chattr +i is refused on this filesystem";
            }

            run.OnEnd(async () => await ShAsync($"chattr -i '{file}'"));
            return await FirstSchoolFailsAloneAsync(run);
        });

    [Fact]
    public Task A_SQLite_school_database_replaced_by_a_folder_fails_alone() =>
        Case("school database replaced by a directory", "school 1's .db file moved away and a folder put in its place", "school 1 Failed with a clear error, school 2 Success", new CaseSetup(), async run =>
        {
            var file = await run.SchoolFileAsync(run.SchoolIds[0]);
            SqliteConnection.ClearAllPools();
            File.Move(file, file + ".aside");
            Directory.CreateDirectory(file);
            run.OnEnd(() =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(file, recursive: true);
                File.Move(file + ".aside", file);
                return Task.CompletedTask;
            });
            return await FirstSchoolFailsAloneAsync(run);
        });

    [Fact]
    public Task A_corrupt_SQLite_school_database_fails_alone() =>
        Case("school database corrupt", "school 1's file overwritten with 8 KB of garbage (a copy kept aside)", "school 1 Failed (not a database), school 2 Success", new CaseSetup(), async run =>
        {
            var file = await run.SchoolFileAsync(run.SchoolIds[0]);
            SqliteConnection.ClearAllPools();
            File.Copy(file, file + ".aside");
            var garbage = new byte[8192];
            new Random(8).NextBytes(garbage);
            await File.WriteAllBytesAsync(file, garbage);
            run.OnEnd(() =>
            {
                SqliteConnection.ClearAllPools();
                File.Move(file + ".aside", file, overwrite: true);
                return Task.CompletedTask;
            });
            return await FirstSchoolFailsAloneAsync(run);
        });

    [Fact]
    public Task A_full_disk_fails_the_sync_and_loses_nothing() =>
        Case("disk full", "the school databases moved onto a 2 MB tmpfs, then the tmpfs filled up; Clever adds and edits users", "Failed (disk full), nothing lost; converges once space is back",
            new CaseSetup(), async run =>
            {
                var schools = Path.Combine(run.Env.DataDir, "schools");
                var aside = schools + ".aside";
                SqliteConnection.ClearAllPools();
                Directory.Move(schools, aside);
                Directory.CreateDirectory(schools);
                if (await ShAsync($"mount -t tmpfs -o size=2m tmpfs '{schools}'") != 0)
                {
                    Directory.Delete(schools);
                    Directory.Move(aside, schools);
                    return "skipped: this machine does not allow mounting a tmpfs (needs root and mount rights)";
                }

                foreach (var file in Directory.GetFiles(aside))
                {
                    File.Copy(file, Path.Combine(schools, Path.GetFileName(file)));
                }

                var filler = Path.Combine(schools, "filler");
                try
                {
                    await using var stream = File.Create(filler);
                    var block = new byte[64 * 1024];
                    while (true)
                    {
                        await stream.WriteAsync(block);
                        await stream.FlushAsync();
                    }
                }
                catch (IOException)
                {
                    // The disk is full: what this case wants.
                }

                run.OnEnd(async () =>
                {
                    SqliteConnection.ClearAllPools();
                    File.Delete(filler);
                    foreach (var file in Directory.GetFiles(schools))
                    {
                        File.Copy(file, Path.Combine(aside, Path.GetFileName(file)), overwrite: true);
                    }

                    await ShAsync($"umount '{schools}'");
                    Directory.Delete(schools);
                    Directory.Move(aside, schools);
                });
                foreach (var school in run.SchoolIds)
                {
                    run.Simulator.Store.ApplyRandomChanges(school, adds: 200, edits: 20, removes: 0, seed: 5);
                }

                var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
                Assert.Contains(results, r => r.Status == SyncStatus.Failed);
                // SQLite calls a full disk "disk I/O error" here: the message says how much room is left.
                Assert.Contains(results, r => r.Error?.Contains($"The disk holding {schools} has ", StringComparison.Ordinal) == true);
                return FaultCase.Describe(results);
            });

    [Fact]
    public async Task Key_Vault_lost_in_the_middle_of_a_run_ends_the_run_and_loses_nothing()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        await Case("Key Vault unreachable mid-run", "every vault connection dropped from the first student page on (no secret cache)", "secrets already read are used or the school fails clearly; run ends",
            new CaseSetup
            {
                Settings = s =>
                {
                    s["CleverSyncSOS:Secrets:Provider"] = "KeyVault";
                    s["CleverSyncSOS:Secrets:VaultUri"] = vault.VaultUri.ToString();
                    s["CleverSyncSOS:Secrets:CacheSeconds"] = "0";
                },
                Services = s => s.Replace(ServiceDescriptor.Singleton(sp => new KeyVaultSecretStore(vault.CreateClient(),
                    sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<KeyVaultSecretStore>>()))),
            }, async run =>
            {
                run.ExtraSecrets.Add(FakeKeyVault.AccessToken);
                run.OnEnd(() =>
                {
                    vault.Outage = false;
                    return Task.CompletedTask;
                });
                run.Proxy.Rewrite = (context, _) =>
                {
                    if (context.Request.Query["role"] == "student")
                    {
                        vault.Outage = true;
                    }

                    return Task.FromResult(false);
                };
                var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
                Assert.Equal(run.SchoolIds.Count, results.Count);
                Assert.True(vault.Outage);
                return FaultCase.Describe(results);
            });
    }
}
