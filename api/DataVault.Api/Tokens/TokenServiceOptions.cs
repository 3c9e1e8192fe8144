using System.ComponentModel.DataAnnotations;

namespace DataVault.Api.Tokens;

/// <summary>The built-in OAuth 2.0 authorization server (<c>TokenService</c> section). Its issuer is the public origin (<c>Api:PublicOrigin</c>).</summary>
internal sealed class TokenServiceOptions
{
    public const string SectionName = "TokenService";

    /// <summary>The audience (<c>aud</c>) of access tokens, which the API requires. Default: <c>datavault-api</c>.</summary>
    [Required]
    public string Audience { get; set; } = "datavault-api";

    /// <summary>
    /// Lifetime of an access token. Default: 1 hour. At most a day: every API request checks its token
    /// against the revoked ids held in memory, which are those of tokens not yet expired.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Lifetime of a refresh token (authorization code flow: a staff member's session in a CRM). Each
    /// use returns a new one with a new lifetime, so a session ends after this long unused. Default: 8 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Requests to <c>/connect/*</c> allowed per minute from one remote address (IPv6: one /64). Default: 60.</summary>
    [Range(1, 100_000)]
    public int TokenRequestsPerAddressPerMinute { get; set; } = 60;

    /// <summary>
    /// Requests to <c>/connect/*</c> allowed per minute naming one registered client id, from any address.
    /// Default: 30. Ids that are not registered share their address's allowance instead.
    /// </summary>
    [Range(1, 100_000)]
    public int TokenRequestsPerClientPerMinute { get; set; } = 30;
}
