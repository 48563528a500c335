using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.OperatorConsole.SignIn;
using CleverSyncSOS.Host.OperatorConsole.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Host.OperatorConsole;

/// <summary>
/// The operator console (Razor Pages under <c>Console/Pages</c>), served by <c>serve</c> at <c>/</c>: local accounts with
/// ASP.NET Core Identity in SessionDb, a cookie sign-in, a policy per role on every page.
/// </summary>
public static class ConsoleRegistration
{
    public static IServiceCollection AddCleverSyncConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<ConsoleUsersMigrator>();
        services.AddConsoleIdentityStore().AddSignInManager();
        services.AddConsoleOpenIdConnect(services.AddAuthentication(), configuration);
        services.AddAuthentication().AddIdentityCookies();
        // Cookies are Secure whenever the request is HTTPS; plain HTTP is accepted for sign-in only from this machine (see LoginModel).
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "cleversync.console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.Events.OnRedirectToAccessDenied = ForbiddenAsync;
            // A user signed in through an identity provider has no local account whose security stamp could be checked:
            // its cookie simply ends (OpenIdConnectSignIn.Lifetime) and the provider decides again.
            o.Events.OnValidatePrincipal = context =>
                ExternalUsers.IsExternal(context.Principal) ? Task.CompletedTask : SecurityStampValidator.ValidatePrincipalAsync(context);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cleversync.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthorizationBuilder().AddConsolePolicies();
        services.AddScoped<SchoolBoard>();
        services.AddScoped<ConsoleActions>();
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/OperatorConsole/Pages";
                o.Conventions.AuthorizeFolder("/", ConsolePolicies.Viewer);
                o.Conventions.AuthorizeFolder("/Users", ConsolePolicies.Admin);
                o.Conventions.AllowAnonymousToPage("/Account/Login");
                o.Conventions.AllowAnonymousToPage("/Account/External");
                o.Conventions.AllowAnonymousToPage("/Account/SignedIn");
            })
            .AddApplicationPart(typeof(ConsoleRegistration).Assembly);
        return services;
    }

    public static WebApplication MapCleverSyncConsole(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // No page of the console is framed, sniffed or loads anything from elsewhere.
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/health"))
            {
                headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
            }

            await next();
        });
        app.UseStatusCodePages(StatusPageAsync);
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// A console page that answers 400 or 404 without a body gets a short page saying what happened (a limited user asking
    /// for another district's school reads the same as for a school that does not exist). <c>/api</c> and <c>/health</c>
    /// keep their own answers.
    /// </summary>
    private static async Task StatusPageAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status)
    {
        var context = status.HttpContext;
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/health"))
        {
            return;
        }

        var (title, text) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found", "There is no such page, or it belongs to a district you do not have access to."),
            StatusCodes.Status400BadRequest => ("Form expired", "The form was sent without its security token, or the token expired. Go back, reload the page and try again."),
            _ => (null, null),
        };
        if (title is null)
        {
            return;
        }

        await StatusPage.WriteAsync(context.Response, context.Response.StatusCode, title, text!);
    }

    /// <summary>A signed-in user without the role gets 403 and a line saying so, not a redirect loop to the sign-in page.</summary>
    private static async Task ForbiddenAsync(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        await StatusPage.WriteAsync(context.Response, StatusCodes.Status403Forbidden, "Not allowed",
            $"{context.HttpContext.User.Identity?.Name ?? "This account"} may not do this. An Admin can change your role on the Users page.");
    }
}

/// <summary>Creates or upgrades the console's user tables in SessionDb at start (after SessionDb itself).</summary>
internal sealed class ConsoleUsersMigrator(CleverSyncSOS.Persistence.Users.ConsoleUsersDatabase users) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => users.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
