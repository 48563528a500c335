using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Health;
using CleverSyncSOS.Host.Service;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Tests.Health;

/// <summary>
/// The rollout's "no credential leaks": a full demo-like run, with its failure paths, leaves no client secret,
/// token or connection string in any log line (all levels, with scopes), health response, exception message,
/// metric tag or database row.
/// </summary>
public sealed class CredentialLeakTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task No_secret_token_or_connection_string_reaches_logs_health_errors_metrics_or_databases(DatabaseProvider provider)
    {
        var tags = new ConcurrentQueue<string>();
        using var listener = ListenToMetricTags(tags);
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 2);
        simulator.InitialEvents = true;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        const string wrongSecret = "leak-test-wrong-secret-5f1e";
        var secrets = new List<string> { env.District.ClientSecret, wrongSecret };

        // A failing run first (rejected credentials), then the demo's path: full sync, changes, incremental.
        await env.OnboardAsync(clientSecret: wrongSecret);
        var errors = (await env.SyncAsync()).Select(r => r.Error).ToList();
        await env.OnboardAsync();
        await env.SyncAsync();
        using var reader = env.Reader();
        secrets.Add(await reader.GetTokenAsync());
        foreach (var school in env.District.Schools)
        {
            env.Simulator.Store.ApplyRandomChanges(school.Id, adds: 3, edits: 3, removes: 2, seed: 1);
        }

        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 500, Count = 1 });
        env.Simulator.Store.RevokeTokens(env.District.Id); // forces a 401 on data calls and a new token
        errors.AddRange((await env.SyncAsync()).Select(r => r.Error));
        secrets.Add(await reader.GetTokenAsync());
        secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{env.District.ClientId}:{env.District.ClientSecret}")));
        var store = env.Services.GetRequiredService<ISecretStore>();
        foreach (var school in env.District.Schools)
        {
            var connectionString = await store.GetSecretAsync((await env.SchoolAsync(school.Id)).KeyVaultConnectionStringSecretName!, CancellationToken.None);
            secrets.Add(connectionString!);
            if (provider == DatabaseProvider.PostgreSql)
            {
                secrets.Add(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password!);
            }
        }

        var places = new Dictionary<string, IEnumerable<string>>
        {
            ["log lines"] = env.Logs.Lines,
            ["sync errors"] = errors.OfType<string>(),
            ["health response"] = [await HealthResponseAsync(env)],
            ["metric tags"] = tags,
            ["SessionDb rows"] = await SessionRowsAsync(env),
            ["school database rows"] = await SchoolRowsAsync(env),
        };

        Assert.Contains(env.Logs.Lines, l => l.Contains("rejected the credentials"));
        Assert.Contains(env.Logs.Lines, l => l.StartsWith("Trace") || l.StartsWith("Debug"));
        foreach (var (place, texts) in places)
        {
            var all = string.Join("\n", texts);
            Assert.False(string.IsNullOrWhiteSpace(all), $"nothing was collected from {place}");
            foreach (var secret in secrets.Where(s => s.Length >= 8))
            {
                Assert.False(all.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..4]}…) appears in {place}");
            }
        }
    }

    private static MeterListener ListenToMetricTags(ConcurrentQueue<string> tags)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Observability.CleverSyncTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, _, t, _) => tags.Enqueue(i.Name + " " + string.Join(",", t.ToArray().Select(x => $"{x.Key}={x.Value}"))));
        listener.SetMeasurementEventCallback<double>((i, _, t, _) => tags.Enqueue(i.Name + " " + string.Join(",", t.ToArray().Select(x => $"{x.Key}={x.Value}"))));
        listener.Start();
        return listener;
    }

    private static async Task<string> HealthResponseAsync(SyncTestEnvironment env)
    {
        var check = ActivatorUtilities.CreateInstance<CleverAuthHealthCheck>(env.Services);
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            [CleverAuthHealthCheck.Name] = new(result.Status, result.Description, TimeSpan.Zero, result.Exception, result.Data),
        }, TimeSpan.Zero);
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await CleverAuthHealthResponse.WriteAsync(context, report);
        return Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }

    private static async Task<IEnumerable<string>> SessionRowsAsync(SyncTestEnvironment env)
    {
        await using var db = await env.SessionDbAsync();
        return (await db.Districts.ToListAsync()).Select(Json)
            .Concat((await db.Schools.ToListAsync()).Select(Json))
            .Concat((await db.SyncHistory.ToListAsync()).Select(Json)).ToList();
    }

    private static async Task<IEnumerable<string>> SchoolRowsAsync(SyncTestEnvironment env)
    {
        var rows = new List<string>();
        foreach (var school in env.District.Schools)
        {
            rows.AddRange((await env.StudentsAsync(school.Id)).Select(Json));
            rows.AddRange((await env.TeachersAsync(school.Id)).Select(Json));
        }

        return rows;
    }

    private static string Json<T>(T row) => JsonSerializer.Serialize(row);
}
