using System.ComponentModel.DataAnnotations;

namespace DataVault.Api.Tokens;

/// <summary>The built-in OAuth 2.0 token service (<c>TokenService</c> section). Its issuer is the public origin (<c>Api:PublicOrigin</c>).</summary>
internal sealed class TokenServiceOptions
{
    public const string SectionName = "TokenService";

    /// <summary>The audience (<c>aud</c>) of access tokens, which the API requires. Default: <c>datavault-api</c>.</summary>
    [Required]
    public string Audience { get; set; } = "datavault-api";

    /// <summary>Lifetime of an access token. Default: 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Token requests allowed per minute for one client id (or one address when none is given). Default: 30.</summary>
    [Range(1, 100_000)]
    public int TokenRequestsPerMinute { get; set; } = 30;
}
