using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.OperatorConsole.Users;
using CleverSyncSOS.Host.Service.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Users;

/// <summary>Admins list, add, unlock and remove console users (the same accounts as <c>cleversync user add</c>).</summary>
public sealed class UsersModel(ConsoleUserAccounts accounts, SchoolBoard board, UserManager<IdentityUser> users) : PageModel
{
    public IReadOnlyList<ConsoleUserView> Users { get; private set; } = [];
    public IReadOnlyList<(string Id, string Name)> Districts { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public string? CurrentUserId => users.GetUserId(User);

    [TempData]
    public string? Notice { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public List<string> LimitTo { get; set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(Email, Password, Role, LimitTo, cancellationToken);
        if (!result.Succeeded)
        {
            Errors = result.Errors;
            await LoadAsync(cancellationToken);
            return Page();
        }

        Notice = $"{Email!.Trim()} can now sign in as {Role}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string userId)
    {
        var result = await accounts.DeleteAsync(userId, users.GetUserId(User) ?? "");
        Notice = result.Succeeded ? "The user is removed." : string.Join(" ", result.Errors);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostUnlockAsync(string userId)
    {
        Notice = await accounts.UnlockAsync(userId) ? "The user is unlocked." : "No such user.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Users = await accounts.ListAsync();
        Districts = await board.DistrictsAsync(DistrictScope.Of(User), cancellationToken);
    }
}
