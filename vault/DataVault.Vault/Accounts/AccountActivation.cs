namespace DataVault.Vault.Accounts;

/// <summary>
/// What the portal may do with an invitation: check that its link still works, and turn it into a
/// customer account. The vault's services are internal; the portal sees only this.
/// </summary>
public interface IAccountActivation
{
    /// <summary>True when <paramref name="token"/> belongs to an invitation that is unused, not revoked and not expired.</summary>
    Task<bool> CanActivateAsync(string? token, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the customer account for the invitation's subject with <paramref name="email"/> as its
    /// sign-in name, and uses up the invitation; both or neither happen.
    /// </summary>
    Task<ActivationResult> ActivateAsync(string? token, string email, string password, CancellationToken cancellationToken);
}

/// <summary>How an activation ended.</summary>
public enum ActivationOutcome
{
    /// <summary>The account exists and the invitation is used up.</summary>
    Activated,

    /// <summary>The link is unknown, used, revoked or expired, or its subject has gone; nothing changed.</summary>
    InvalidInvitation,

    /// <summary>The e-mail or password was refused (see <see cref="ActivationResult.Errors"/>); the link still works.</summary>
    Rejected,
}

/// <summary>The result of <see cref="IAccountActivation.ActivateAsync"/>.</summary>
public sealed record ActivationResult(ActivationOutcome Outcome, CustomerAccount? Account, IReadOnlyList<string> Errors)
{
    internal static ActivationResult Activated(CustomerAccount account) => new(ActivationOutcome.Activated, account, []);

    internal static ActivationResult InvalidInvitation() => new(ActivationOutcome.InvalidInvitation, null, []);

    internal static ActivationResult Rejected(IReadOnlyList<string> errors) => new(ActivationOutcome.Rejected, null, errors);
}
