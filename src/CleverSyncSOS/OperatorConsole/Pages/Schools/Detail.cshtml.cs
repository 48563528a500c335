using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.Service.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Schools;

/// <summary>One school: state, what its database holds, run history with a chart; Sync now, Full sync, Approve a held deletion (Operator).</summary>
public sealed class SchoolModel(SchoolBoard board, ConsoleActions actions) : PageModel
{
    public SchoolCard School { get; private set; } = null!;
    public IReadOnlyList<RunSummary> Runs { get; private set; } = [];
    public bool MayAct { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await board.SchoolAsync(DistrictScope.Of(User), id, cancellationToken) is not { } school)
        {
            return NotFound();
        }

        School = school;
        Runs = await board.RunsAsync(school.SchoolId, 30, cancellationToken);
        MayAct = await actions.MayActAsync(User);
        return Page();
    }

    public Task<IActionResult> OnPostSyncAsync(string id, CancellationToken cancellationToken) => ActAsync(id, full: false, approve: false, cancellationToken);

    public Task<IActionResult> OnPostFullAsync(string id, CancellationToken cancellationToken) => ActAsync(id, full: true, approve: false, cancellationToken);

    /// <summary>Approves a held mass deletion: a full sync allowed to delete what Clever no longer lists.</summary>
    public Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken) => ActAsync(id, full: true, approve: true, cancellationToken);

    private async Task<IActionResult> ActAsync(string id, bool full, bool approve, CancellationToken cancellationToken)
    {
        if (!await actions.MayActAsync(User))
        {
            return Forbid();
        }

        if (await board.SchoolAsync(DistrictScope.Of(User), id, cancellationToken) is not { } school)
        {
            return NotFound();
        }

        if (approve && school.HeldDeletion is null)
        {
            Notice = "There is no held deletion to approve (it may have been approved already).";
            return RedirectToPage(new { id });
        }

        var outcome = await actions.SyncSchoolAsync(User, school, full, approve, cancellationToken);
        Notice = outcome.Problem;
        return outcome.RunId is { } runId ? Redirect($"/runs/{runId}") : RedirectToPage(new { id });
    }
}
