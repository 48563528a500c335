using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Runs;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.OperatorConsole.Pages;

/// <summary>Every school the user may see, with its state; counts per state; filter by district and state.</summary>
public sealed class OverviewModel(SchoolBoard board, IOptions<SchedulerOptions> scheduler) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? District { get; set; }

    [BindProperty(SupportsGet = true)]
    public SchoolState? State { get; set; }

    public DistrictScope Scope { get; private set; } = null!;
    public IReadOnlyList<SchoolCard> All { get; private set; } = [];
    public IReadOnlyList<SchoolCard> InDistrict { get; private set; } = [];
    public IReadOnlyList<SchoolCard> Shown { get; private set; } = [];
    public IReadOnlyList<(string Id, string Name)> Districts { get; private set; } = [];
    public int MaxAgeHours => scheduler.Value.MaxSyncAgeHours;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Scope = DistrictScope.Of(User);
        District = string.IsNullOrEmpty(District) ? null : District;
        Districts = await board.DistrictsAsync(Scope, cancellationToken);
        All = await board.SchoolsAsync(Scope, null, cancellationToken);
        InDistrict = All.Where(s => District is null || s.CleverDistrictId == District).ToList();
        Shown = InDistrict.Where(s => State is null || s.State == State).ToList();
    }
}
