using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tokens;

/// <summary>
/// Rate limits of the authorization server (<c>/connect/*</c>): per remote address, and per registered
/// client id named in the request, whichever runs out first. Only ids of registered clients get an
/// allowance of their own: an attacker naming a different client id in each request (in the Basic header,
/// the form or an assertion) still draws on their address's allowance, so varying the id buys nothing, and
/// the number of per-client counters is bounded by the registry. A global limiter, before authentication:
/// OpenIddict answers these requests inside the authentication middleware, before any endpoint, and checks
/// the secret (PBKDF2, the expensive part) there.
/// </summary>
internal static class TokenEndpointLimits
{
    private static readonly PathString Connect = "/connect";

    public static IServiceCollection AddTokenEndpointLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteTooManyRequestsAsync;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(PerAddress),
                PartitionedRateLimiter.Create<HttpContext, string>(PerClient));
        });
        return services;
    }

    /// <summary>
    /// Reads a form posted to <c>/connect/*</c> before the rate limiter, so the limiter can see a
    /// <c>client_id</c> without blocking on the body; ASP.NET Core keeps the form, so OpenIddict reads it
    /// from memory. The request body limit applies as to every request.
    /// </summary>
    public static IApplicationBuilder UseTokenEndpointLimits(this IApplicationBuilder app) => app
        .Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Connect) && HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed form: the address's allowance still applies, and OpenIddict answers invalid_request.
                }
            }

            await next(context);
        })
        .UseRateLimiter();

    private static RateLimitPartition<string> PerAddress(HttpContext context) => context.Request.Path.StartsWithSegments(Connect)
        ? RateLimitPartition.GetFixedWindowLimiter("address:" + RemoteAddress.Of(context), _ => PerMinute(context, o => o.TokenRequestsPerAddressPerMinute))
        : RateLimitPartition.GetNoLimiter(string.Empty);

    private static RateLimitPartition<string> PerClient(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(Connect)
            && NamedClientId(context.Request) is { Length: > 0 and <= 100 } clientId
            && context.RequestServices.GetRequiredService<ClientRegistry>().Find(clientId) is not null)
        {
            return RateLimitPartition.GetFixedWindowLimiter("client:" + clientId, _ => PerMinute(context, o => o.TokenRequestsPerClientPerMinute));
        }

        return RateLimitPartition.GetNoLimiter(string.Empty);
    }

    private static FixedWindowRateLimiterOptions PerMinute(HttpContext context, Func<TokenServiceOptions, int> limit) => new()
    {
        PermitLimit = limit(context.RequestServices.GetRequiredService<IOptions<TokenServiceOptions>>().Value),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    /// <summary>The client id a request names, unverified: from HTTP Basic, the form, or a client assertion's issuer.</summary>
    private static string? NamedClientId(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var separator = decoded.IndexOf(':', StringComparison.Ordinal);
                return separator < 0 ? null : WebUtility.UrlDecode(decoded[..separator]);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        if (!request.HasFormContentType || request.Form is not { } form)
        {
            return null;
        }

        if (form["client_id"] is { Count: 1 } id)
        {
            return id.ToString();
        }

        if (form["client_assertion"] is { Count: 1 } assertion && assertion.ToString().Length <= 8192)
        {
            try
            {
                return new JsonWebToken(assertion.ToString()).Issuer;
            }
            catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException)
            {
                return null;
            }
        }

        return null;
    }

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var endpoint = context.Request.Path.Value is { Length: > 9 } path ? path[9..] : "connect";
        context.RequestServices.GetRequiredService<TokenServiceMetrics>().RateLimited(endpoint);
        context.RequestServices.GetRequiredService<FailedTokenRequests>().Count(RemoteAddress.Of(context), "rate_limited", registeredClientId: null);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "Too many requests from this address or for this client; retry after the time in the Retry-After header.",
            },
        });
    }
}
