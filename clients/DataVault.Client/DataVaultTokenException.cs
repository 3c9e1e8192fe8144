namespace DataVault.Client;

/// <summary>
/// The token endpoint refused the client credentials grant: an RFC 6749 §5.2 error such as
/// <c>invalid_client</c> (wrong id or secret) or <c>invalid_scope</c> (a scope the client was not granted).
/// <see cref="DataVaultProblemException.Title"/> holds the error code and
/// <see cref="DataVaultProblemException.Detail"/> the service's description; neither holds the secret.
/// </summary>
public sealed class DataVaultTokenException : DataVaultProblemException
{
    internal DataVaultTokenException(int statusCode, string error, string? description, IReadOnlyDictionary<string, IEnumerable<string>> headers)
        : base(statusCode, new ProblemBody(null, error, description, null, null, null), error, headers, null)
    {
        Error = error;
    }

    /// <summary>The RFC 6749 error code, e.g. <c>invalid_client</c>.</summary>
    public string Error { get; }
}
