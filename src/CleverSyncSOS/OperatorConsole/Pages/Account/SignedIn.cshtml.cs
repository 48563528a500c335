using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Account;

/// <summary>
/// Where an identity provider's sign-in lands. The sign-in cookie is SameSite=Strict, so a browser does not send it on the
/// redirect chain that started at the provider's site; this page moves on from the console's own site, where it is sent.
/// </summary>
public sealed class SignedInModel : PageModel
{
    public string Next { get; private set; } = "/";

    public void OnGet(string? returnUrl) => Next = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
}
