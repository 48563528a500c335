using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CleverSyncSOS.Observability;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Service;

/// <summary>
/// A sync is traced and measured through the one ActivitySource and Meter named CleverSyncSOS, whatever host runs it
/// (CLI, service, tests): a run span holds the school's span, which holds every Clever page fetch and write batch.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_sync_is_one_trace_of_run_school_page_fetches_and_write_batches_and_counts_records_processed_per_entity()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 60, teachers: 6, schools: 1);
        simulator.Seed = 9173; // ids of their own, so spans and measurements of tests running alongside are told apart
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0].Id;

        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CleverSyncTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        var processed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CleverSyncTelemetry.Name && instrument.Name == "cleversync.sync.records.processed")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var fields = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString(), StringComparer.Ordinal);
            if (fields.GetValueOrDefault("school") == school && fields.GetValueOrDefault("entity") is { } entity)
            {
                processed.AddOrUpdate(entity, value, (_, sum) => sum + value);
            }
        });
        metrics.Start();

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        var schoolSpan = Assert.Single(spans, s => s.OperationName == "SchoolSync" && (string?)s.GetTagItem("cleversync.school") == school);
        var trace = spans.Where(s => s.TraceId == schoolSpan.TraceId).ToList();
        Assert.Single(trace, s => s.OperationName == "SyncRun");
        Assert.Contains(trace, s => s.OperationName == "CleverPageFetch" && ((string?)s.GetTagItem("url.path"))!.Contains(school, StringComparison.Ordinal));
        Assert.Contains(trace, s => s.OperationName == "WriteBatch" && (string?)s.GetTagItem("cleversync.table") == "Students");
        Assert.All(trace.Where(s => s.OperationName is "CleverPageFetch" or "WriteBatch"), s => Assert.NotNull(s.ParentId));

        using var reader = env.Reader();
        Assert.Equal((await reader.GetSchoolUsersAsync(school, "student")).Count, processed.GetValueOrDefault(SyncEntityType.Student));
        Assert.Equal((await reader.GetSchoolUsersAsync(school, "teacher")).Count, processed.GetValueOrDefault(SyncEntityType.Teacher));
    }
}
