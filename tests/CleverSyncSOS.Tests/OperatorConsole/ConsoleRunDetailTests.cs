using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Service;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.OperatorConsole;

public sealed class ConsoleRunDetailTests
{
    [Fact]
    public async Task A_runs_skipped_records_are_kept_with_their_Clever_id_and_reason_and_a_held_deletion_is_a_recorded_fact_shown_by_page_and_API()
    {
        await using var site = await ConsoleSite.StartAsync(students: 30);
        var school = site.First.Schools[0];
        var broken = (await site.Env.StudentsAsync(school.Id)).Take(2).Select(s => s.CleverStudentId).Order(StringComparer.Ordinal).ToList();
        foreach (var id in broken)
        {
            site.Env.Simulator.Store.UpdateUser(id, new JsonObject { ["name"] = new JsonObject { ["last"] = null } });
        }

        var run = await FullSyncAsync(site, school.Id);
        var students = Entity(run, "Student");
        Assert.Equal(2, students.GetProperty("recordsFailed").GetInt32());
        var failed = students.GetProperty("failedRecords").EnumerateArray().Select(f => (f.GetProperty("cleverId").GetString(), f.GetProperty("reason").GetString())).ToList();
        Assert.Equal(broken.Select(id => ((string?)id, (string?)"LastName is missing")), failed.OrderBy(f => f.Item1, StringComparer.Ordinal));

        using var viewer = await site.ClientAsync(ConsoleSite.Viewer);
        var page = WebUtility.HtmlDecode(await (await viewer.GetAsync($"/runs/{run.GetProperty("runId").GetGuid()}")).Content.ReadAsStringAsync());
        Assert.All(broken, id => Assert.Contains($"<tr><td><code>{id}</code></td><td>LastName is missing</td></tr>", page));

        var shrinking = site.First.Schools[1];
        site.Env.Simulator.Store.KeepOnlyFraction(shrinking.Id, "student", 0.1, withEvents: false);
        var held = await FullSyncAsync(site, shrinking.Id);
        Assert.True(Entity(held, "Student").GetProperty("deletionsHeld").GetBoolean());
        Assert.False(Entity(held, "Teacher").GetProperty("deletionsHeld").GetBoolean());
        await using (var db = await site.Env.SessionDbAsync())
        {
            var row = await db.SyncHistory.Where(h => h.RunId == held.GetProperty("runId").GetGuid() && h.EntityType == "Student").SingleAsync();
            Assert.True(row.DeletionsHeld);
            Assert.Equal(SyncStatus.Partial, row.Status);
        }

        var schoolPage = await (await viewer.GetAsync($"/schools/{shrinking.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("class=\"panel held\"", schoolPage);
    }

    private static async Task<JsonElement> FullSyncAsync(ConsoleSite site, string school)
    {
        var (accepted, body) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return await site.Serve.WaitForRunAsync(body.GetProperty("location").GetString()!, ServeHarness.Completed);
    }

    private static JsonElement Entity(JsonElement run, string entityType) =>
        run.GetProperty("schools")[0].GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == entityType);
}
