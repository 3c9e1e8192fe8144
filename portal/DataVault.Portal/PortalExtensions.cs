using DataVault.Portal.AccountSafety;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>Mounts the customer portal (Razor Pages) in the host: <c>AddPortal</c> and <c>MapPortal</c>.</summary>
public static class PortalExtensions
{
    internal const string StylesheetPath = "/assets/portal.css";

    /// <summary>
    /// Cookie sign-in with ASP.NET Core Identity, the pages and their rate limits. The host's default
    /// authentication scheme is left alone: API routes stay bearer-only, so a portal cookie never
    /// authenticates an API call, and only portal pages read the cookie (through the <see cref="PortalAccess"/> policies).
    /// </summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>()
            .Bind(configuration.GetSection(PortalOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ControllerOptions>()
            .Bind(configuration.GetSection(ControllerOptions.SectionName))
            .PostConfigure<IHostEnvironment>(UseDemoControllerInDevelopment)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>();
        services.AddSingleton<ControllerProfile>();
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
                cookie.AccessDeniedPath = "/";
                cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
            });

        // A disabled officer loses open sessions within a minute (Identity's default is 30); an erased
        // customer at the next request (ValidateSessionAsync).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddScoped<IUserClaimsPrincipalFactory<CustomerAccount>, PortalClaimsFactory>();
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalAccess.SignedIn, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(PortalAccess.Customer, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireClaim(PortalAccess.SubjectClaim))
            .AddPolicy(PortalAccess.Officer, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireRole(AccountRoles.Officer));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "DataVault.Antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Plain forms checked on the server: the portal ships no script, so no data-val-* attributes either.
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizePage("/Index", PortalAccess.SignedIn);
                o.Conventions.AuthorizeFolder("/My", PortalAccess.Customer);
                o.Conventions.AuthorizeFolder("/Desk", PortalAccess.Officer);
                o.Conventions.AuthorizePage("/Account/TwoFactor", PortalAccess.SignedIn);
                o.Conventions.AuthorizePage("/Account/RecoveryCodes", PortalAccess.SignedIn);
                o.Conventions.AuthorizePage("/Account/Logout", PortalAccess.SignedIn);
            })
            .AddMvcOptions(o => o.Filters.Add<StaffTwoFactorFilter>())
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false)
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedText)));
        services.AddScoped<IdentityErrorDescriber, AccountErrorDescriber>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordResetThrottle>();
        services.AddScoped<Reauthentication>();
        services.AddScoped<SecondSignInStep>();
        services.AddSingleton<PasswordResetRequests>();
        services.AddHostedService(provider => provider.GetRequiredService<PasswordResetRequests>());
        services.AddSingleton<PortalAudit>();
        services.AddScoped<Export.SubjectExports>();
        services.AddSingleton<PeriodText>();
        return services;
    }

    /// <summary>
    /// The portal's middleware, early in the pipeline (after the exception handler and status code
    /// pages, so their answers for portal addresses get the headers too): the security headers of
    /// <see cref="PortalResponseHeaders"/>; then, for portal pages only (so API answers never vary by
    /// language and never read the cookie), the portal cookie's account and the language of the
    /// switcher's cookie or the browser's Accept-Language.
    /// </summary>
    public static IApplicationBuilder UsePortal(this IApplicationBuilder app)
    {
        var localization = PortalCultures.Options();
        return app
            .UseWhen(PortalResponseHeaders.Applies, branch => branch.UseMiddleware<PortalResponseHeaders>())
            .UseWhen(
                context => context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null,
                branch => branch.Use(AuthenticateWithPortalCookie).UseRequestLocalization(localization));
    }

    /// <summary>The pages under <c>/</c>, <c>/my</c>, <c>/desk</c> and <c>/account</c>, and the portal's one stylesheet.</summary>
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        var stylesheet = ReadStylesheet();
        app.MapGet(StylesheetPath, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return TypedResults.Text(stylesheet, "text/css; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        var controller = app.ServiceProvider.GetRequiredService<ControllerProfile>();
        if (controller.HasLogo)
        {
            var logo = controller.Logo!;
            app.MapGet(ControllerProfile.LogoPath, (HttpContext context) =>
                {
                    context.Response.Headers.CacheControl = "public, max-age=3600";
                    return TypedResults.Bytes(logo, controller.LogoContentType);
                })
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// Development without a configured controller shows <see cref="ControllerOptions.Demo"/>, so that
    /// <c>dotnet run</c> works at once; anywhere else the validator asks for the real one.
    /// </summary>
    private static void UseDemoControllerInDevelopment(ControllerOptions options, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(options.Name))
        {
            return;
        }

        var demo = ControllerOptions.Demo;
        options.Name = demo.Name;
        options.Address ??= demo.Address;
        options.ContactEmail ??= demo.ContactEmail;
        options.DpoEmail ??= demo.DpoEmail;
        options.SupervisoryAuthorityName ??= demo.SupervisoryAuthorityName;
        options.SupervisoryAuthorityUrl ??= demo.SupervisoryAuthorityUrl;
    }

    /// <summary>
    /// Every portal page sees the signed-in account, including pages open to everyone (sign-in, the
    /// language switcher): the host's default scheme is the API's bearer token, so without this a page
    /// without an access policy would see an anonymous visitor, and a form posted from a customer's
    /// page to such a page (the language switcher) would fail its antiforgery check, whose token is
    /// bound to the account.
    /// </summary>
    private static async Task AuthenticateWithPortalCookie(HttpContext context, RequestDelegate next)
    {
        if (context.User.Identity?.IsAuthenticated != true
            && await context.AuthenticateAsync(IdentityConstants.ApplicationScheme) is { Succeeded: true } result)
        {
            context.User = result.Principal;
        }

        await next(context);
    }

    /// <summary>
    /// Every request with the portal cookie: a customer whose subject has been erased (by the API, an officer
    /// or the portal, on any instance) is signed out at once, whichever copy of the cookie is used. Then
    /// Identity's security stamp check, at its interval, for everything else that ends a session.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirst(PortalAccess.SubjectClaim)?.Value is { } subjectId
            && !context.HttpContext.RequestServices.GetRequiredService<SubjectPresence>().IsPresent(subjectId))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    private static string ReadStylesheet()
    {
        using var stream = typeof(PortalExtensions).Assembly.GetManifestResourceStream("portal.css")
            ?? throw new InvalidOperationException("The portal stylesheet is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
