using DataVault.Api.Tokens;
using DataVault.Vault;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Validation.AspNetCore;

namespace DataVault.Api.Authorization;

internal static class AccessControlExtensions
{
    /// <summary>The policy every /api route requires at least: an authenticated, registered, enabled client.</summary>
    public const string ApiPolicy = "api";

    private const string BearerSection = "Authentication:Schemes:Bearer";

    public static string ScopePolicy(string scope) => "scope:" + scope;

    /// <summary>True when <c>Authentication:Schemes:Bearer:Authority</c> names an external identity provider.</summary>
    public static bool UsesExternalAuthority(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{BearerSection}:Authority"]);

    /// <summary>
    /// Bearer authentication and the scope policies. With no external authority configured, access tokens
    /// come from the built-in authorization server (<see cref="TokenServiceExtensions.AddTokenService"/>)
    /// and OpenIddict validates them. With one, JwtBearer reads that provider's metadata and keys; settings
    /// bind from <c>Authentication:Schemes:Bearer</c>, so switching is configuration only.
    /// </summary>
    /// <exception cref="ServiceConfigurationException">A former rate-limit setting is still present.</exception>
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[$"{TokenServiceOptions.SectionName}:TokenRequestsPerMinute"]))
        {
            throw new ServiceConfigurationException(
                "DataVault cannot start: the setting TokenService:TokenRequestsPerMinute was replaced by two limits, TokenService:TokenRequestsPerAddressPerMinute "
                + "(requests from one remote address) and TokenService:TokenRequestsPerClientPerMinute (requests naming one registered client). Set those instead and remove it.");
        }

        services.AddOptions<TokenServiceOptions>()
            .Bind(configuration.GetSection(TokenServiceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Consents.ConsentReceiptSigner>();
        services.AddSingleton<Requests.RequestCertificateSigner>();
        services.AddSingleton<Vault.Consents.IConsentReceiptSigner>(sp => sp.GetRequiredService<Consents.ConsentReceiptSigner>());
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Auditing.AuditingAuthorizationResultHandler>();
        services.AddHttpContextAccessor();

        // No default scheme: the API policies name the bearer scheme, so only access tokens count on /api
        // even though the host also has cookie schemes (the portal's), and a signed-in browser gets no API access.
        var authentication = services.AddAuthentication();
        string scheme;
        if (configuration.UsesExternalAuthority())
        {
            scheme = JwtBearerDefaults.AuthenticationScheme;
            authentication.AddJwtBearer();
            services.AddOptions<JwtBearerOptions>(scheme).Configure<TimeProvider, IOptions<TokenServiceOptions>>(ConfigureExternalBearer);
        }
        else
        {
            scheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
            services.AddTokenService();
        }

        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser());
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(ScopePolicy(scope), policy => policy
                .AddAuthenticationSchemes(scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(scope) && StillGranted(context, scope)));
        }

        return services;
    }

    /// <summary>
    /// An external provider's access tokens (Entra ID, Keycloak, …): its issuer and keys come from its
    /// metadata, fetched by JwtBearer; the audience is ours unless configured; the client must be
    /// registered here and enabled.
    /// </summary>
    private static void ConfigureExternalBearer(JwtBearerOptions bearer, TimeProvider time, IOptions<TokenServiceOptions> tokens)
    {
        bearer.MapInboundClaims = false;
        bearer.Events = new JwtBearerEvents { OnTokenValidated = RequireEnabledClientAsync };
        var parameters = bearer.TokenValidationParameters;
        parameters.NameClaimType = "client_id";
        parameters.ValidateIssuer = true;
        parameters.ValidateAudience = true;
        parameters.ValidateLifetime = true;
        parameters.ValidateIssuerSigningKey = true;
        if (parameters.ValidAudience is null && parameters.ValidAudiences?.Any() != true)
        {
            parameters.ValidAudiences = [tokens.Value.Audience];
        }

        parameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256];
        parameters.RequireExpirationTime = true;
        parameters.ClockSkew = TimeSpan.FromSeconds(30);
        parameters.LifetimeValidator = (notBefore, expires, _, p) => IsWithinLifetime(time.GetUtcNow(), notBefore, expires, p.ClockSkew);
    }

    /// <summary>A scope removed from a client stops working at once, not when its tokens expire.</summary>
    private static bool StillGranted(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext context, string scope) =>
        context.Resource is HttpContext http
        && http.RequestServices.GetRequiredService<CurrentCaller>().Client is { } client
        && client.Scopes.Contains(scope, StringComparer.Ordinal);

    private static bool IsWithinLifetime(DateTimeOffset now, DateTime? notBefore, DateTime? expires, TimeSpan skew) =>
        expires is { } end
        && now < new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) + skew
        && (notBefore is not { } start || now >= new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) - skew);

    /// <summary>A disabled or unregistered client is refused at once, even with an unexpired token.</summary>
    private static Task RequireEnabledClientAsync(TokenValidatedContext context)
    {
        var clientId = context.Principal?.ClientId();
        var client = clientId is null ? null : context.HttpContext.RequestServices.GetRequiredService<ClientRegistry>().Find(clientId);
        if (client is not { IsEnabled: true })
        {
            context.Fail("The client is not registered or has been disabled.");
            return Task.CompletedTask;
        }

        context.HttpContext.SetClient(client);
        return Task.CompletedTask;
    }
}
