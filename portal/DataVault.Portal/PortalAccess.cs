using System.Security.Claims;
using DataVault.Vault.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>
/// Who may open which part of the portal. Customer pages act only on the subject named in the
/// signed-in account's own cookie, never on an id taken from the URL or a form, so one customer
/// cannot reach another's data; the officer's desk needs the officer role.
/// </summary>
internal static class PortalAccess
{
    /// <summary>Any signed-in account (customer or staff).</summary>
    public const string SignedIn = "portal";

    /// <summary>A customer: an account linked to a subject.</summary>
    public const string Customer = "portal-customer";

    /// <summary>A compliance officer.</summary>
    public const string Officer = "portal-officer";

    /// <summary>The claim carrying a customer account's subject id.</summary>
    public const string SubjectClaim = "datavault:subject";

    /// <summary>Present while the account has two-factor sign-in on; refreshed with the cookie whenever that changes.</summary>
    public const string TwoFactorClaim = "datavault:two-factor";

    /// <summary>The subject of the signed-in customer; only pages under the <see cref="Customer"/> policy call it.</summary>
    public static string SubjectId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(SubjectClaim)
            ?? throw new InvalidOperationException("The page is not behind the customer policy: the account has no subject.");
    }

    /// <summary>The signed-in account's id: what audit entries and officers' actions name, never the address.</summary>
    public static string AccountId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A signed-in account has an id.");
    }

    public static bool IsCustomer(this ClaimsPrincipal user) => user?.HasClaim(c => c.Type == SubjectClaim) == true;

    public static bool IsOfficer(this ClaimsPrincipal user) => user?.IsInRole(AccountRoles.Officer) == true;

    /// <summary>A staff account: any role at all (officer, administrator, and any role added later).</summary>
    public static bool IsStaff(this ClaimsPrincipal user) => user is not null && AccountRoles.All.Any(user.IsInRole);

    public static bool HasTwoFactor(this ClaimsPrincipal user) => user?.HasClaim(c => c.Type == TwoFactorClaim) == true;
}

/// <summary>Adds the account's subject id, and whether it has two-factor sign-in on, to the sign-in cookie (roles are added by Identity).</summary>
internal sealed class PortalClaimsFactory(
    UserManager<CustomerAccount> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options) : UserClaimsPrincipalFactory<CustomerAccount, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CustomerAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.SubjectId is { } subjectId)
        {
            identity.AddClaim(new Claim(PortalAccess.SubjectClaim, subjectId));
        }

        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(PortalAccess.TwoFactorClaim, "on"));
        }

        return identity;
    }
}
