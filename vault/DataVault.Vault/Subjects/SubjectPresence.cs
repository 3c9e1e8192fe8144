using DataVault.Vault.Storage;

namespace DataVault.Vault.Subjects;

/// <summary>
/// Whether a subject still exists: known and not erased. Every portal request of a signed-in customer
/// asks (GDPR Art. 17: once erased, the customer's sessions end everywhere at their next request, not
/// when a session next revalidates), so it is one primary-key read through a prepared statement on an
/// open read connection, without EF Core, the way the consented read is made.
/// </summary>
public sealed class SubjectPresence
{
    private readonly VaultReadConnections reads;

    internal SubjectPresence(VaultReadConnections reads)
    {
        this.reads = reads;
    }

    private const string Sql = "SELECT erased_at IS NULL FROM subjects WHERE id = $id;";

    public bool IsPresent(string subjectId) => Stored(subjectId) is long present && present == 1;

    /// <summary>Whether the vault ever held the subject: present, or erased with its tombstone left.</summary>
    public bool IsKnown(string subjectId) => Stored(subjectId) is not null;

    private object? Stored(string subjectId)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        using var connection = reads.Rent();
        var command = connection.Command(Sql, "$id");
        command.Parameters[0].Value = subjectId;
        return command.ExecuteScalar();
    }
}
