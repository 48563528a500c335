using CleverSyncSOS.Persistence;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.Hosting;

namespace CleverSyncSOS.Host.Service;

/// <summary>Brings SessionDb to the latest migration before the service does anything, and closes runs left open by processes that are gone.</summary>
public sealed class SessionDbMigrator(SessionDatabase sessionDatabase, Runs.SyncRunStore runs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("MigrateSessionDb");
        await sessionDatabase.MigrateAsync(cancellationToken);
        await runs.CloseAbandonedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
