namespace DataVault.Vault.Clients;

/// <summary>Claims of the access tokens the built-in authorization server issues, beyond RFC 9068's.</summary>
public static class TokenClaims
{
    /// <summary>
    /// The staff account a code-flow token was issued for (the agent who consented); a client's own
    /// tokens carry none. Its value is the account id only: the name is looked up when the audit trail is shown.
    /// </summary>
    public const string Staff = "staff";
}
