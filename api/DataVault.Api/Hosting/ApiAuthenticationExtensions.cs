using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace DataVault.Api.Hosting;

internal static class ApiAuthenticationExtensions
{
    /// <summary>The policy every /api route requires: an authenticated caller.</summary>
    public const string ApiPolicy = "api";

    /// <summary>
    /// Bearer tokens validated by the JwtBearer handler. Its settings (Authority, audiences) bind from
    /// <c>Authentication:Schemes:Bearer</c>, so pointing at an identity provider is configuration only.
    /// Without one, no token validates and every /api route answers 401: personal data is never
    /// served anonymously.
    /// </summary>
    public static IServiceCollection AddApiAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.RequireAuthenticatedUser());
        return services;
    }
}
