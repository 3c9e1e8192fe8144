using System.Buffers.Text;
using System.Security.Cryptography;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Accounts;

/// <summary>A staff account as the administration commands show it: never its password or keys.</summary>
public sealed record OfficerInfo(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool TwoFactorEnabled, DateTimeOffset CreatedAt, DateTimeOffset? LockoutEnd)
{
    /// <summary>Disabled accounts are locked out for good (see <see cref="OfficerService.DisableAsync"/>).</summary>
    public bool IsDisabled => LockoutEnd == DateTimeOffset.MaxValue;
}

/// <summary>A new staff account and its initial password, shown once and never stored.</summary>
public sealed record IssuedOfficerPassword(OfficerInfo Officer, string Password)
{
    public override string ToString() => $"IssuedOfficerPassword {{ Officer = {Officer.Id}, Password = *** }}";
}

/// <summary>Staff: compliance officers, administrators and agents; Identity accounts with a role and no subject.</summary>
public sealed class OfficerService
{
    private readonly AccountsDbContext db;
    private readonly UserManager<CustomerAccount> users;
    private readonly TimeProvider time;
    private readonly ILogger<OfficerService> logger;

    internal OfficerService(AccountsDbContext db, UserManager<CustomerAccount> users, TimeProvider time, ILogger<OfficerService> logger)
    {
        this.db = db;
        this.users = users;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Creates a staff account with a random initial password (160 bits, base64url). An agent needs a
    /// display name: it is how the audit trail's readers tell who acted through a CRM.
    /// </summary>
    public async Task<VaultResult<IssuedOfficerPassword>> AddAsync(string email, string role, CancellationToken cancellationToken, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(email);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!AccountRoles.All.Contains(role, StringComparer.Ordinal))
        {
            errors["role"] = [$"Unknown role. Known: {string.Join(", ", AccountRoles.All)}."];
        }

        var name = displayName?.Trim();
        if (name is { Length: 0 or > 100 } || name?.Any(char.IsControl) == true)
        {
            errors["name"] = ["Must be 1-100 characters without control characters."];
        }
        else if (name is null && role == AccountRoles.Agent)
        {
            errors["name"] = ["An agent needs a display name (--name), shown next to the system they act through in the audit trail."];
        }

        if (errors.Count > 0)
        {
            return VaultResult<IssuedOfficerPassword>.Invalid(errors);
        }

        var address = email.Trim();
        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(20));
        var account = new CustomerAccount { UserName = address, Email = address, DisplayName = name, CreatedAt = time.GetUtcNow() };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.CreateAsync(account, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(account, role);
        }

        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return VaultResult<IssuedOfficerPassword>.Invalid(new Dictionary<string, string[]>
            {
                ["email"] = result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.DuplicateUserName)).Select(e => e.Description).ToArray(),
            });
        }

        await transaction.CommitAsync(cancellationToken);
        Log.OfficerAdded(logger, account.Id, role);
        return VaultResult<IssuedOfficerPassword>.Ok(new IssuedOfficerPassword(await ToInfoAsync(account), password));
    }

    public async Task<IReadOnlyList<OfficerInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var staff = new Dictionary<string, CustomerAccount>(StringComparer.Ordinal);
        foreach (var role in AccountRoles.All)
        {
            foreach (var account in await users.GetUsersInRoleAsync(role))
            {
                staff.TryAdd(account.Id, account);
            }
        }

        var list = new List<OfficerInfo>(staff.Count);
        foreach (var account in staff.Values.OrderBy(a => a.NormalizedEmail, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            list.Add(await ToInfoAsync(account));
        }

        return list;
    }

    /// <summary>
    /// The display names of staff accounts by id, to show who a client acted for ("Demo CRM, by J. Smith");
    /// the audit trail stores the id only. Staff are few, so all of them are read at once.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> StaffNamesAsync(CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking()
            .Where(u => u.SubjectId == null && u.DisplayName != null)
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName!, StringComparer.Ordinal, cancellationToken);

    /// <summary>
    /// Disables a staff account the way Identity models it: locked out until the end of time, with a
    /// new security stamp so that its open portal sessions are refused at their next validation. The new
    /// stamp also revokes, in the same transaction, what an agent consented to and every token a CRM
    /// holds on their behalf (a trigger of the <c>openiddict</c> migration), so those fail at their next request.
    /// </summary>
    public async Task<VaultResult<OfficerInfo>> DisableAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var account = await users.FindByEmailAsync(email.Trim());
        if (account is null || !(await users.GetRolesAsync(account)).Any(r => AccountRoles.All.Contains(r, StringComparer.Ordinal)))
        {
            return VaultResult<OfficerInfo>.NotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await users.SetLockoutEnabledAsync(account, true);
        await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(account);
        await transaction.CommitAsync(cancellationToken);
        Log.OfficerDisabled(logger, account.Id);
        return VaultResult<OfficerInfo>.Ok(await ToInfoAsync(account));
    }

    private async Task<OfficerInfo> ToInfoAsync(CustomerAccount account) => new(
        account.Id,
        account.Email ?? string.Empty,
        account.DisplayName,
        (await users.GetRolesAsync(account)).Order(StringComparer.Ordinal).ToList(),
        account.TwoFactorEnabled,
        account.CreatedAt,
        account.LockoutEnd);
}
