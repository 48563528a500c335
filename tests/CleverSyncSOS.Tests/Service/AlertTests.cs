using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using CleverSyncSOS.Host.Service.Alerts;
using CleverSyncSOS.Observability;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Tests.Service;

public sealed class AlertTests
{
    [Fact]
    public async Task The_third_failed_sync_in_a_row_and_each_after_logs_RepeatedSyncFailure_counts_the_metric_and_the_webhook_gets_every_failure_after_a_500_retry()
    {
        await using var webhook = await WebhookServer.StartAsync(failFirst: 1);
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        var school = env.District.Schools[0].Id;
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Api, PathContains = "/users", StatusCode = 400 });
        using var metric = new RepeatedFailureListener(school);
        await using var serve = await ServeHarness.StartAsync(env, c =>
        {
            c["CleverSyncSOS:Alerts:WebhookUrl"] = webhook.Url;
            c["CleverSyncSOS:Alerts:WebhookBaseDelaySeconds"] = "0.05";
        });
        var logs = new TestLoggerProvider();
        serve.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var (accepted, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var run = await serve.WaitForRunAsync(accepted.Headers.Location!.ToString(), ServeHarness.Completed);
            Assert.Equal(SyncStatus.Failed, Assert.Single(ServeHarness.SchoolStatuses(run)));
            var alerts = logs.Lines.Count(l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains($"event={SyncAlerts.RepeatedFailureEventId}/RepeatedSyncFailure", StringComparison.Ordinal));
            Assert.Equal(Math.Max(0, attempt - 2), alerts);
            Assert.Equal(Math.Max(0, attempt - 2), metric.Total);
        }

        var notices = await webhook.WaitForNoticesAsync(4);
        Assert.True(webhook.Requests >= 2, "the webhook's first answer was 500, so the batch must have been sent again");
        Assert.All(notices, n => Assert.Equal(school, n.GetProperty("cleverSchoolId").GetString()));
        Assert.Equal([1, 2, 3, 4], notices.Select(n => n.GetProperty("consecutiveFailures").GetInt32()).Order());
        Assert.Empty(webhook.Held);
    }

    [Fact]
    public async Task A_deletion_held_by_the_mass_deletion_guard_is_sent_to_the_webhook_as_a_held_run_with_the_guards_numbers()
    {
        await using var webhook = await WebhookServer.StartAsync(failFirst: 0);
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        await env.SyncAsync();
        var school = env.District.Schools[0].Id;
        env.Simulator.Store.KeepOnlyFraction(school, "student", 0.1, withEvents: false);
        await using var serve = await ServeHarness.StartAsync(env, c => c["CleverSyncSOS:Alerts:WebhookUrl"] = webhook.Url);

        var (accepted, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        var run = await serve.WaitForRunAsync(accepted.Headers.Location!.ToString(), ServeHarness.Completed);
        Assert.Equal(SyncStatus.Partial, Assert.Single(ServeHarness.SchoolStatuses(run)));

        for (var deadline = DateTime.UtcNow.AddSeconds(30); webhook.Held.Count == 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
        }

        var held = Assert.Single(webhook.Held);
        Assert.Equal(school, held.GetProperty("cleverSchoolId").GetString());
        Assert.StartsWith("Mass-deletion guard: this sync would delete", held.GetProperty("reason").GetString());
        Assert.Empty(webhook.Notices);
    }

    [Fact]
    public async Task A_webhook_that_never_answers_neither_blocks_nor_fails_the_syncs()
    {
        await using var webhook = await WebhookServer.StartAsync(failFirst: 0, hang: true);
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        var school = env.District.Schools[0].Id;
        var failing = new FaultRule { Target = FaultTarget.Api, PathContains = "/users", StatusCode = 400 };
        env.Simulator.Faults.Add(failing);
        await using var serve = await ServeHarness.StartAsync(env, c => c["CleverSyncSOS:Alerts:WebhookUrl"] = webhook.Url);

        var (failed, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        var failedRun = await serve.WaitForRunAsync(failed.Headers.Location!.ToString(), ServeHarness.Completed);
        Assert.Equal(SyncStatus.Failed, Assert.Single(ServeHarness.SchoolStatuses(failedRun)));
        await webhook.WaitForRequestAsync(); // the notice is now stuck in the webhook

        env.Simulator.Faults.Clear();
        var (accepted, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        var run = await serve.WaitForRunAsync(accepted.Headers.Location!.ToString(), ServeHarness.Completed);
        Assert.Equal(SyncStatus.Success, Assert.Single(ServeHarness.SchoolStatuses(run)));
        Assert.Empty(webhook.Notices);
    }

    /// <summary>Sums <c>cleversync.sync.repeated_failures</c> for one school (the meter is shared by tests running in parallel).</summary>
    private sealed class RepeatedFailureListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public RepeatedFailureListener(string cleverSchoolId)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CleverSyncTelemetry.Name && instrument.Name == "cleversync.sync.repeated_failures")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "school" && Equals(tag.Value, cleverSchoolId))
                    {
                        Interlocked.Add(ref _total, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A webhook receiver on 127.0.0.1 that answers 500 to its first requests, or never answers at all.</summary>
    private sealed class WebhookServer : IAsyncDisposable
    {
        private readonly int _failFirst;
        private readonly bool _hang;
        private readonly ConcurrentQueue<JsonElement> _failed = new();
        private readonly ConcurrentQueue<JsonElement> _held = new();
        private readonly CancellationTokenSource _stopping = new();
        private int _requests;
        private LoopbackServer _server = null!;

        private WebhookServer(int failFirst, bool hang)
        {
            _failFirst = failFirst;
            _hang = hang;
        }

        private void Map(WebApplication app) =>
            app.MapPost("/hook", async (HttpContext context) =>
            {
                var number = Interlocked.Increment(ref _requests);
                if (_hang)
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    return Results.StatusCode(503);
                }

                if (number <= _failFirst)
                {
                    return Results.StatusCode(500);
                }

                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                Assert.Equal("CleverSyncSOS", body.RootElement.GetProperty("source").GetString());
                foreach (var notice in body.RootElement.GetProperty("failed").EnumerateArray())
                {
                    _failed.Enqueue(notice.Clone());
                }

                foreach (var notice in body.RootElement.GetProperty("held").EnumerateArray())
                {
                    _held.Enqueue(notice.Clone());
                }

                return Results.Ok();
            });

        public string Url => new Uri(_server.BaseAddress, "hook").ToString();
        public int Requests => Volatile.Read(ref _requests);
        public IReadOnlyCollection<JsonElement> Notices => _failed;
        public IReadOnlyCollection<JsonElement> Held => _held;

        public static async Task<WebhookServer> StartAsync(int failFirst, bool hang = false)
        {
            var server = new WebhookServer(failFirst, hang);
            server._server = await LoopbackServer.StartAsync(server.Map);
            return server;
        }

        public async Task<List<JsonElement>> WaitForNoticesAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (_failed.Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(count, _failed.Count);
            return [.. _failed];
        }

        public async Task WaitForRequestAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Requests == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(Requests > 0, "the webhook was never called");
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _server.DisposeAsync();
            _stopping.Dispose();
        }
    }
}
