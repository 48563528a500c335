using CleverSyncSOS.Host.Service.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Schools;

/// <summary>
/// What syncs did to a school's records, from the change log in its own database (<see cref="SchoolChanges"/>, as the API and the CLI
/// read it), filtered by run and Clever id. The values are children's data: only users allowed the school's district see them.
/// </summary>
public sealed class ChangesModel(SchoolChanges changes) : PageModel
{
    /// <summary>The page sizes offered; the latest changes come first in the log, so a larger page reaches further back.</summary>
    public static readonly int[] Limits = [50, 200, 1000];

    public SchoolChangesView School { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public int? Run { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? CleverId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Limit { get; set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        CleverId = string.IsNullOrWhiteSpace(CleverId) ? null : CleverId.Trim();
        if ((ModelState.IsValid ? SchoolChanges.Invalid(Run, CleverId, Limit) : "run and limit are numbers.") is { } invalid)
        {
            Problem = invalid;
            (Run, CleverId, Limit) = (null, null, null);
        }

        var (found, _) = await changes.ReadAsync(DistrictScope.Of(User), id, Run, CleverId, Limit ?? SchoolChanges.DefaultLimit, cancellationToken);
        if (found is null && Run is not null)
        {
            // A run of another school reads as a run that does not exist; the school itself may still be shown.
            Problem = $"This school has no run {Run}.";
            Run = null;
            (found, _) = await changes.ReadAsync(DistrictScope.Of(User), id, null, CleverId, Limit ?? SchoolChanges.DefaultLimit, cancellationToken);
        }

        if (found is null)
        {
            return NotFound();
        }

        School = found;
        return Page();
    }
}
