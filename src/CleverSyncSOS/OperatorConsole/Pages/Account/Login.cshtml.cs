using CleverSyncSOS.Host.OperatorConsole.SignIn;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleverSyncSOS.Host.OperatorConsole.Pages.Account;

/// <summary>
/// Local sign-in: five wrong passwords lock the account for 15 minutes; the message never says which part was wrong. Plain
/// HTTP is accepted only from the loopback address (a browser on the server itself).
/// </summary>
public sealed class LoginModel(SignInManager<IdentityUser> signIn, ExternalProviders providers) : PageModel
{
    /// <summary>The identity providers offered beside the password form.</summary>
    public IReadOnlyList<OpenIdConnectProvider> Providers => providers.All;

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password) || Email.Length > 256 || Password.Length > 1000)
        {
            Error = "Give your email and password.";
            return Page();
        }

        if (!IsSafeTransport(HttpContext))
        {
            Error = "Sign in over HTTPS: a password is never sent in clear over the network. Put the service behind TLS.";
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        Error = result.IsLockedOut
            ? "This account is locked after too many wrong passwords. Try again in 15 minutes, or ask an Admin to unlock it."
            : "Wrong email or password.";
        return Page();
    }

    /// <summary>Sign-in over plain HTTP only from this machine: anywhere else a password or a session cookie would cross the network in clear.</summary>
    public static bool IsSafeTransport(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Request.IsHttps || context.Connection.RemoteIpAddress is not { } remote || System.Net.IPAddress.IsLoopback(remote);
}
