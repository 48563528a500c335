using System.Net.Http.Headers;
using System.Text;
using CleverSyncSOS.Credentials;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CleverSyncSOS.Host.OperatorConsole.SignIn;

/// <summary>The configured identity providers, as the sign-in page lists them.</summary>
public sealed record ExternalProviders(IReadOnlyList<OpenIdConnectProvider> All);

/// <summary>
/// OpenID Connect sign-in to the console, one authentication scheme per configured provider: authorization code with PKCE,
/// the client secret read from the secret store when the code is redeemed, the user mapped by <see cref="ExternalUsers"/>
/// into the console's own sign-in cookie. A user the map refuses, or an answer that cannot be verified (another issuer, a
/// bad signature, a replayed code), gets a 403 page saying why and no cookie.
/// </summary>
public static partial class OpenIdConnectSignIn
{
    /// <summary>How long an external sign-in lasts before the provider is asked again (and the role decided again).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddConsoleOpenIdConnect(this IServiceCollection services, AuthenticationBuilder authentication, IConfiguration configuration)
    {
        services.AddOptions<OpenIdConnectSignInOptions>().Bind(configuration.GetSection(OpenIdConnectSignInOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenIdConnectSignInOptions>, OpenIdConnectSignInOptionsValidator>();
        var configured = configuration.GetSection(OpenIdConnectSignInOptions.SectionName).Get<OpenIdConnectSignInOptions>() ?? new OpenIdConnectSignInOptions();
        // A provider with a bad configuration gets no scheme; the validator stops the service at start, naming the key.
        var providers = configured.Providers.Where(p => OpenIdConnectSignInOptionsValidator.Problems(p.Key, p.Value).Count == 0)
            .Select(p => p.Value.Resolve(p.Key)).OrderBy(p => p.DisplayName, StringComparer.Ordinal).ToList();
        services.AddSingleton(new ExternalProviders(providers));
        foreach (var provider in providers)
        {
            authentication.AddOpenIdConnect(provider.Scheme, provider.DisplayName, o => Configure(o, provider));
        }

        return services;
    }

    private static void Configure(OpenIdConnectOptions o, OpenIdConnectProvider provider)
    {
        o.Authority = provider.Authority;
        o.ClientId = provider.ClientId;
        o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back in the query of a top-level GET, so the correlation cookie can stay SameSite=Lax (form_post needs None).
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = provider.GetClaimsFromUserInfoEndpoint;
        o.SignInScheme = IdentityConstants.ApplicationScheme;
        o.CallbackPath = provider.CallbackPath;
        o.SignedOutCallbackPath = $"/signout-callback-oidc/{provider.Name.ToLowerInvariant()}";
        o.RemoteSignOutPath = $"/signout-oidc/{provider.Name.ToLowerInvariant()}";
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Scope.Clear();
        foreach (var scope in provider.Scopes)
        {
            o.Scope.Add(scope);
        }

        // Claims the userinfo endpoint may add (when asked for); the identity token's claims are kept as they are.
        foreach (var claim in new[] { provider.RoleClaim, provider.DistrictClaim }.OfType<string>())
        {
            o.ClaimActions.MapJsonKey(claim, claim);
        }

        if (provider.NameClaim is not null)
        {
            o.ClaimActions.MapUniqueJsonKey(provider.NameClaim, provider.NameClaim);
        }

        o.Events.OnAuthorizationCodeReceived = context => RedeemAsync(context, provider);
        o.Events.OnTicketReceived = context => AdmitAsync(context, provider);
        o.Events.OnRemoteFailure = context => RefuseAsync(context, provider);
    }

    /// <summary>Reads the client secret when it is needed (so a rotated secret is used at once) and sends it the way the provider wants.</summary>
    private static async Task RedeemAsync(AuthorizationCodeReceivedContext context, OpenIdConnectProvider provider)
    {
        var secrets = context.HttpContext.RequestServices.GetRequiredService<ISecretStore>();
        var secret = await secrets.GetSecretAsync(provider.ClientSecretName, context.HttpContext.RequestAborted);
        if (string.IsNullOrEmpty(secret))
        {
            context.Fail($"The client secret of sign-in provider '{provider.Name}' is not in the secret store (secret '{provider.ClientSecretName}').");
            return;
        }

        var request = context.TokenEndpointRequest!;
        if (provider.ClientAuthentication == ClientAuthentication.ClientSecretPost)
        {
            request.ClientSecret = secret;
            return;
        }

        // client_secret_basic (Clever): the handler only knows client_secret_post, so the code is redeemed here.
        var metadata = context.Options.Configuration ?? await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
        using var message = new HttpRequestMessage(HttpMethod.Post, metadata.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(request.Parameters),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(provider.ClientId!)}:{Uri.EscapeDataString(secret)}")));
        using var response = await context.Backchannel.SendAsync(message, context.HttpContext.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            context.Fail($"The token endpoint of sign-in provider '{provider.Name}' refused the code ({(int)response.StatusCode}).");
            return;
        }

        context.HandleCodeRedemption(new OpenIdConnectMessage(await response.Content.ReadAsStringAsync(context.HttpContext.RequestAborted)));
    }

    /// <summary>Replaces what the provider said by the console user it maps to, or refuses with a page saying why.</summary>
    private static async Task AdmitAsync(TicketReceivedContext context, OpenIdConnectProvider provider)
    {
        var mapped = ExternalUsers.Map(provider, context.Principal!);
        var logger = Logger(context.HttpContext);
        if (mapped.User is null)
        {
            LogRefused(logger, provider.Name, mapped.Refusal!);
            context.HandleResponse();
            await StatusPage.WriteAsync(context.Response, StatusCodes.Status403Forbidden, "Not allowed", mapped.Refusal!);
            return;
        }

        LogSignedIn(logger, provider.Name, mapped.User.Identity!.Name!);
        context.Principal = mapped.User;
        // No sliding renewal: after Lifetime the provider is asked again, so a role taken away there ends here too.
        context.Properties!.IsPersistent = false;
        context.Properties.AllowRefresh = false;
        context.Properties.ExpiresUtc = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() + Lifetime;
    }

    private static async Task RefuseAsync(RemoteFailureContext context, OpenIdConnectProvider provider)
    {
        LogFailed(Logger(context.HttpContext), provider.Name, context.Failure?.Message ?? "unknown");
        context.HandleResponse();
        await StatusPage.WriteAsync(context.Response, StatusCodes.Status403Forbidden, "Sign-in refused",
            $"The answer of {provider.DisplayName} could not be verified, so you are not signed in. Try again from the sign-in page; if it keeps failing, the service log says why.");
    }

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenIdConnectSignIn).FullName!);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Console sign-in through {Provider}: {User}")]
    private static partial void LogSignedIn(ILogger logger, string provider, string user);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Console sign-in through {Provider} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Console sign-in through {Provider} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string provider, string reason);
}
