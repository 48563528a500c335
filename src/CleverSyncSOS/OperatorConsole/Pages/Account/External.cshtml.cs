using CleverSyncSOS.Host.OperatorConsole.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Account;

/// <summary>
/// "Sign in with …": sends the browser to the chosen identity provider, which sends it back to its callback path, and from
/// there to <c>/account/signed-in</c>. A link, not a form: the console's Content-Security-Policy allows forms to post to
/// itself only, and a browser applies that to the redirect a form post leads to (the provider's authorize endpoint).
/// The flow's own state and nonce (in a correlation cookie) protect the callback, as an antiforgery token would a form.
/// </summary>
public sealed class ExternalModel(ExternalProviders providers) : PageModel
{
    public IActionResult OnGet(string? provider, string? returnUrl)
    {
        if (providers.All.FirstOrDefault(p => string.Equals(p.Name, provider, StringComparison.OrdinalIgnoreCase)) is not { } chosen)
        {
            return LocalRedirect("/account/login");
        }

        if (!LoginModel.IsSafeTransport(HttpContext))
        {
            return LocalRedirect("/account/login");
        }

        var next = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
        return Challenge(new AuthenticationProperties { RedirectUri = $"/account/signed-in?returnUrl={Uri.EscapeDataString(next)}" }, chosen.Scheme);
    }
}
