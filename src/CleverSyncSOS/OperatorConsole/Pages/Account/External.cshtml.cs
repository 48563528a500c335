using CleverSyncSOS.Host.OperatorConsole.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Account;

/// <summary>
/// "Sign in with …": sends the browser to the chosen identity provider (a form post, so it carries the antiforgery token).
/// The provider sends it back to its callback path, and from there to <c>/account/signed-in</c>.
/// </summary>
public sealed class ExternalModel(ExternalProviders providers) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/account/login");

    public IActionResult OnPost(string? provider, string? returnUrl)
    {
        if (providers.All.FirstOrDefault(p => string.Equals(p.Name, provider, StringComparison.OrdinalIgnoreCase)) is not { } chosen)
        {
            return NotFound();
        }

        if (!LoginModel.IsSafeTransport(HttpContext))
        {
            return LocalRedirect("/account/login");
        }

        var next = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
        return Challenge(new AuthenticationProperties { RedirectUri = $"/account/signed-in?returnUrl={Uri.EscapeDataString(next)}" }, chosen.Scheme);
    }
}
