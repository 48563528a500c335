using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Runs;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Districts;

/// <summary>One district: its schools, Clever authentication health, pause windows; Sync district, Pause and Resume (Operator).</summary>
public sealed class DistrictModel(SchoolBoard board, ConsoleActions actions, PauseWindows pauses, TimeProvider time) : PageModel
{
    public DistrictCard District { get; private set; } = null!;
    public bool MayAct { get; private set; }
    public DateTime Now { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    [BindProperty]
    public int PauseHours { get; set; } = 24;

    [BindProperty]
    public string? PauseReason { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await board.DistrictAsync(DistrictScope.Of(User), id, cancellationToken) is not { } district)
        {
            return NotFound();
        }

        District = district;
        MayAct = await actions.MayActAsync(User);
        Now = time.GetUtcNow().UtcDateTime;
        return Page();
    }

    public async Task<IActionResult> OnPostSyncAsync(string id, CancellationToken cancellationToken)
    {
        if (await GuardAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        var outcome = await actions.SyncDistrictAsync(User, id, cancellationToken);
        Notice = outcome.Problem;
        return outcome.RunId is { } runId ? Redirect($"/runs/{runId}") : RedirectToPage(new { id });
    }

    /// <summary>Pauses scheduled syncs from now for the hours given (a pause window); manual syncs still run.</summary>
    public async Task<IActionResult> OnPostPauseAsync(string id, CancellationToken cancellationToken)
    {
        if (await GuardAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (PauseHours is < 1 or > 24 * 120)
        {
            Notice = "Pause for between 1 hour and 120 days.";
            return RedirectToPage(new { id });
        }

        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await pauses.AddAsync(id, now, now.AddHours(PauseHours), string.IsNullOrWhiteSpace(PauseReason) ? $"paused by {User.Identity?.Name}" : PauseReason.Trim(), cancellationToken);
            Notice = $"Scheduled syncs of this district are paused for {PauseHours} h.";
        }
        catch (ArgumentException ex)
        {
            Notice = ex.Message;
        }

        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostResumeAsync(string id, int window, CancellationToken cancellationToken)
    {
        if (await GuardAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        Notice = await pauses.RemoveAsync(window, id, cancellationToken)
            ? "The pause window is removed; the next scheduled sync runs (in full, as after every pause)."
            : "That pause window was already removed.";
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult?> GuardAsync(string id, CancellationToken cancellationToken)
    {
        if (!await actions.MayActAsync(User))
        {
            return Forbid();
        }

        return DistrictScope.Of(User).Allows(id) && (await board.DistrictsAsync(DistrictScope.Of(User), cancellationToken)).Any(d => d.Id == id)
            ? null
            : NotFound();
    }
}
