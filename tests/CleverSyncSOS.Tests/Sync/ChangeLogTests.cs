using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Changes;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>Every run leaves, in the school's own database, exactly what it changed.</summary>
public sealed class ChangeLogTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, true)]
    [InlineData(DatabaseProvider.Sqlite, false)]
    public async Task The_change_log_of_a_run_lists_exactly_its_changes_with_old_and_new_values(DatabaseProvider provider, bool events)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.InitialEvents = events;
        simulator.EventsEnabled = events;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);
        var edited = before[3];
        var removed = before[5];
        env.Simulator.Store.UpdateUser(edited.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Grace" } });
        env.Simulator.Store.RemoveUser(removed.CleverStudentId);
        var added = env.Simulator.Store.AddStudent(school.Id);

        await env.SyncAsync();

        var run = (await env.HistoryAsync(school.Id)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;
        var (_, entries) = await env.Services.GetRequiredService<ChangeLogReader>().ReadAsync(new ChangeQuery(school.Id, Run: run), CancellationToken.None);
        Assert.Equal(
            new[] { (edited.CleverStudentId, ChangeAction.Updated), (removed.CleverStudentId, ChangeAction.Deleted), (added, ChangeAction.Created) }.Order(),
            entries.Select(e => (e.CleverId, e.Action)).Order());
        Assert.All(entries, e => Assert.Equal(SyncEntityType.Student, e.EntityType));

        var update = entries.Single(e => e.Action == ChangeAction.Updated);
        var old = JsonNode.Parse(update.OldValues!)!.AsObject();
        var @new = JsonNode.Parse(update.NewValues!)!.AsObject();
        Assert.Equal(["FirstName", "LastModifiedInClever"], old.Select(p => p.Key).Order());
        Assert.Equal((edited.FirstName, "Grace"), ((string)old["FirstName"]!, (string)@new["FirstName"]!));

        var deletion = JsonNode.Parse(entries.Single(e => e.Action == ChangeAction.Deleted).OldValues!)!.AsObject();
        Assert.Equal((removed.FirstName, removed.LastName, removed.Email, removed.Grade), ((string?)deletion["FirstName"], (string?)deletion["LastName"], (string?)deletion["Email"], (string?)deletion["Grade"]));
        var creation = entries.Single(e => e.Action == ChangeAction.Created);
        Assert.Null(creation.OldValues);
        Assert.Equal(added, (string)JsonNode.Parse(creation.NewValues!)!["CleverStudentId"]!);
    }

    [Fact]
    public async Task Change_log_entries_older_than_the_retention_are_removed_at_the_next_sync()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, s => s["CleverSyncSOS:Sync:ChangeLogRetentionDays"] = "90");
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        await using (var db = await ClassSyncTests.OpenAsync(env, school.Id))
        {
            Assert.True(await db.ChangeLog.CountAsync() > 0);
            await db.ChangeLog.ExecuteUpdateAsync(s => s.SetProperty(e => e.ChangedAt, e => e.ChangedAt.AddDays(-91)));
        }

        env.Simulator.Store.AddStudent(school.Id);
        await env.SyncAsync();

        await using var after = await ClassSyncTests.OpenAsync(env, school.Id);
        Assert.Equal(1, await after.ChangeLog.CountAsync());
    }
}
