namespace DataVault.Vault.Accounts;

/// <summary>
/// What the portal may do with an invitation: check that its link still works, and turn it into a
/// customer account. The vault's services are internal; the portal sees only this.
/// </summary>
public interface IAccountActivation
{
    /// <summary>
    /// The invitation of <paramref name="token"/> when it is unused, not revoked, not expired, and the
    /// e-mail address on record is still the one it was sent to; otherwise null.
    /// </summary>
    Task<PendingActivation?> FindAsync(string? token, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the customer account for the invitation's subject and uses up the invitation; both or
    /// neither happen. The sign-in address is not chosen by whoever holds the link: it is the subject's
    /// e-mail address on record, the one the link was sent to.
    /// </summary>
    Task<ActivationResult> ActivateAsync(string? token, string password, CancellationToken cancellationToken);
}

/// <summary>An invitation that can be activated.</summary>
/// <param name="SignInAddressMasked">The address the account will sign in with, masked (<c>a***@example.com</c>).</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record PendingActivation(string SignInAddressMasked, DateTimeOffset ExpiresAt);

/// <summary>How an activation ended.</summary>
public enum ActivationOutcome
{
    /// <summary>The account exists and the invitation is used up.</summary>
    Activated,

    /// <summary>The link is unknown, used, revoked or expired, its subject has gone, or the address on record is no longer the one it was sent to; nothing changed.</summary>
    InvalidInvitation,

    /// <summary>The password (or the address, when another account already signs in with it) was refused (see <see cref="ActivationResult.Errors"/>); the link still works.</summary>
    Rejected,
}

/// <summary>The result of <see cref="IAccountActivation.ActivateAsync"/>.</summary>
public sealed record ActivationResult(ActivationOutcome Outcome, CustomerAccount? Account, IReadOnlyList<string> Errors)
{
    internal static ActivationResult Activated(CustomerAccount account) => new(ActivationOutcome.Activated, account, []);

    internal static ActivationResult InvalidInvitation() => new(ActivationOutcome.InvalidInvitation, null, []);

    internal static ActivationResult Rejected(IReadOnlyList<string> errors) => new(ActivationOutcome.Rejected, null, errors);
}
