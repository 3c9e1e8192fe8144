using DataVault.Vault.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>Mounts the customer portal (Razor Pages) in the host: <c>AddPortal</c> and <c>MapPortal</c>.</summary>
public static class PortalExtensions
{
    /// <summary>The authorization policy of signed-in portal pages: the Identity cookie, and nothing else.</summary>
    internal const string SignedInPolicy = "portal";

    internal const string StylesheetPath = "/assets/portal.css";

    /// <summary>
    /// Cookie sign-in with ASP.NET Core Identity, the pages and their rate limits. The host's default
    /// authentication scheme is left alone: API routes stay bearer-only, so a portal cookie never
    /// authenticates an API call, and only portal pages read the cookie (through <see cref="SignedInPolicy"/>).
    /// </summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>()
            .Bind(configuration.GetSection(PortalOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddAuthentication().AddIdentityCookies();
        new IdentityBuilder(typeof(CustomerAccount), typeof(IdentityRole), services).AddSignInManager();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PortalOptions>>((cookie, portal) =>
            {
                cookie.Cookie.Name = "DataVault.Portal";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = portal.Value.SessionIdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/account/login";
                cookie.LogoutPath = "/account/logout";
                cookie.AccessDeniedPath = "/account/login";
            });

        // A disabled officer or an erased customer loses open sessions within a minute (Identity's default is 30).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder().AddPolicy(SignedInPolicy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "DataVault.Antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Plain forms checked on the server: the portal ships no script, so no data-val-* attributes either.
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizePage("/Index", SignedInPolicy);
            o.Conventions.AuthorizeFolder("/My", SignedInPolicy);
            o.Conventions.AuthorizePage("/Account/TwoFactor", SignedInPolicy);
            o.Conventions.AuthorizePage("/Account/Logout", SignedInPolicy);
            o.Conventions.ConfigureFilter(new PortalResponseHeaders());
        }).AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PortalAudit>();
        return services;
    }

    /// <summary>The pages under <c>/</c> and <c>/account</c>, and the portal's one stylesheet.</summary>
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        var stylesheet = ReadStylesheet();
        app.MapGet(StylesheetPath, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Text(stylesheet, "text/css; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static string ReadStylesheet()
    {
        using var stream = typeof(PortalExtensions).Assembly.GetManifestResourceStream("portal.css")
            ?? throw new InvalidOperationException("The portal stylesheet is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
