using System.Threading.RateLimiting;
using DataVault.Api.Tokens;
using DataVault.Vault;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

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
    /// Bearer authentication, scope policies and the token endpoint's rate limit. With no external
    /// authority configured, tokens must come from the built-in token service (its issuer, its
    /// published keys, audience and <c>at+jwt</c> type). With one, JwtBearer reads that provider's
    /// metadata and keys; settings bind from <c>Authentication:Schemes:Bearer</c>, so switching is
    /// configuration only.
    /// </summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TokenServiceOptions>()
            .Bind(configuration.GetSection(TokenServiceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<TokenValidationKeys>();
        services.AddSingleton<Consents.ConsentReceiptSigner>();
        services.AddSingleton<Vault.Consents.IConsentReceiptSigner>(sp => sp.GetRequiredService<Consents.ConsentReceiptSigner>());
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Auditing.AuditingAuthorizationResultHandler>();
        services.AddHttpContextAccessor();

        var external = configuration.UsesExternalAuthority();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenValidationKeys, IOptions<TokenServiceOptions>, PublicOrigin, TimeProvider>((bearer, keys, tokenOptions, origin, time) =>
            {
                var settings = tokenOptions.Value;
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
                    parameters.ValidAudiences = [settings.Audience];
                }

                parameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256];
                parameters.RequireExpirationTime = true;
                parameters.ClockSkew = TimeSpan.FromSeconds(30);
                parameters.LifetimeValidator = (notBefore, expires, _, p) => IsWithinLifetime(time.GetUtcNow(), notBefore, expires, p.ClockSkew);
                if (external)
                {
                    // The provider's issuer and keys come from its metadata, fetched by JwtBearer.
                    return;
                }

                parameters.ValidTypes = [AccessTokenIssuer.TokenType];
                parameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256];

                // This service's tokens name its configured origin; the Host a request carries changes nothing.
                parameters.ValidIssuer = origin.Url;
                parameters.IssuerSigningKeyResolver = (_, _, keyId, _) => keys.Resolve(keyId);

                // Each token is verified in full once; later requests with it re-check only what can change.
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new CachingJsonWebTokenHandler(time) { MapInboundClaims = false });
            });

        // The API policies name the bearer scheme, so only access tokens count on /api even though the
        // host also has cookie schemes (the portal's): a signed-in browser gets no API access.
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(ScopePolicy(scope), policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(scope) && StillGranted(context, scope)));
        }

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteTooManyRequestsAsync;
            limiter.AddPolicy(TokenEndpoints.RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<TokenServiceOptions>>().Value.TokenRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    PartitionKey(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
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

    /// <summary>The client id from HTTP Basic when present (cheap to read), else the remote address.</summary>
    private static string PartitionKey(HttpContext context) =>
        BasicCredentials.TryParse(context.Request.Headers.Authorization.ToString(), out var clientId, out _)
            ? "client:" + clientId
            : "ip:" + context.Connection.RemoteIpAddress;

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "Too many requests from this client or address; retry after the time in the Retry-After header.",
            },
        });
    }
}
