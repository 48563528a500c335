using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.Service;

/// <summary>Waits until SessionDb shows what a test expects (written by another thread or process), or fails with its run rows.</summary>
public static class SessionDbPolling
{
    public static async Task<T> WaitForAsync<T>(SyncTestEnvironment env, Func<SessionDbContext, Task<T?>> probe, int seconds = 30, Func<string>? diagnostics = null)
        where T : struct
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await env.SessionDbAsync();
            if (await probe(db) is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        await using var session = await env.SessionDbAsync();
        var rows = string.Join("\n", (await session.SyncRunSchools.AsNoTracking().ToListAsync()).Select(r => $"{r.SchoolId} {r.Status} {r.InstanceId} {r.Reason}"));
        throw new Xunit.Sdk.XunitException($"SessionDb never reached the expected state.\n{rows}\n{diagnostics?.Invoke()}");
    }
}
