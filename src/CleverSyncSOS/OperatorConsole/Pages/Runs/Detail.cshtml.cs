using CleverSyncSOS.Host.Service.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Runs;

/// <summary>
/// One run as the API reads it (<see cref="RunViews"/>), limited to the schools the user may see; <c>?handler=live</c> is the
/// same as JSON for the page's script, which follows a running sync without reloading.
/// </summary>
public sealed class RunModel(RunViews views) : PageModel
{
    public RunView Run { get; private set; } = null!;

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(id, cancellationToken) is not { } run)
        {
            return NotFound();
        }

        Run = run;
        return Page();
    }

    public async Task<IActionResult> OnGetLiveAsync(Guid id, CancellationToken cancellationToken) =>
        await VisibleAsync(id, cancellationToken) is { } run ? new JsonResult(run) : NotFound();

    private Task<RunView?> VisibleAsync(Guid id, CancellationToken cancellationToken) => views.GetRunAsync(id, DistrictScope.Of(User), cancellationToken);
}
