namespace DataVault.Api.Authorization;

/// <summary>Endpoint metadata naming the OAuth scope a route requires; tests enumerate it.</summary>
internal sealed record RequiredScope(string Scope);

internal static class RequiredScopeExtensions
{
    /// <summary>Requires an access token carrying <paramref name="scope"/> (403 without it).</summary>
    public static RouteHandlerBuilder RequireScope(this RouteHandlerBuilder builder, string scope) =>
        builder.RequireAuthorization(AccessControlExtensions.ScopePolicy(scope)).WithMetadata(new RequiredScope(scope));
}
