using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>The outcome of verifying an audit trail.</summary>
/// <param name="IsValid">True when every entry chains to the one before and every checkpoint matches and is signed.</param>
/// <param name="Entries">Entries examined.</param>
/// <param name="Checkpoints">Checkpoints examined.</param>
/// <param name="FirstBadSequence">The first sequence number where the trail is wrong, if any.</param>
/// <param name="Problem">What is wrong there, in words.</param>
internal sealed record AuditVerification(bool IsValid, long Entries, int Checkpoints, long? FirstBadSequence, string? Problem);

/// <summary>
/// Verifies the hash chain and the signed checkpoints of an audit database: an edited field, a
/// deleted or reordered entry, or a tail truncated behind a checkpoint is reported with the first
/// sequence number affected. Optional external checkpoints (an exported copy kept elsewhere) catch
/// an attacker who rewrote both entries and checkpoints.
/// </summary>
internal static class AuditVerifier
{
    /// <param name="connection">The audit database.</param>
    /// <param name="trustedKeys">Public JWKs by key id that checkpoints must be signed with.</param>
    /// <param name="external">Checkpoints exported earlier and kept elsewhere.</param>
    public static AuditVerification Verify(SqliteConnection connection, IReadOnlyDictionary<string, string> trustedKeys, IReadOnlyList<AuditCheckpoint>? external = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var checkpoints = ReadCheckpoints(connection);
        var expectedBySequence = new Dictionary<long, AuditCheckpoint>();
        foreach (var checkpoint in checkpoints.Concat(external ?? []))
        {
            if (!AuditCheckpoints.IsValid(checkpoint, trustedKeys))
            {
                return new(false, 0, checkpoints.Count, checkpoint.Sequence, "A checkpoint is not signed by a trusted key of this vault, or its signature does not verify.");
            }

            if (expectedBySequence.TryGetValue(checkpoint.Sequence, out var other) && !other.Hash.AsSpan().SequenceEqual(checkpoint.Hash))
            {
                return new(false, 0, checkpoints.Count, checkpoint.Sequence, "Two checkpoints disagree about the same entry.");
            }

            expectedBySequence[checkpoint.Sequence] = checkpoint;
        }

        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash
            FROM audit_entries ORDER BY sequence;
            """;
        using var reader = command.ExecuteReader();
        var previous = AuditChain.Genesis;
        long expected = 1;
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            if (sequence != expected)
            {
                return new(false, expected - 1, checkpoints.Count, expected, sequence > expected ? "Entries are missing." : "Entries are out of order.");
            }

            var record = new AuditRecord(
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(9),
                Nullable(reader, 5), Nullable(reader, 6), Nullable(reader, 7), Nullable(reader, 8), Nullable(reader, 10));
            var storedPrevious = (byte[])reader[11];
            var storedHash = (byte[])reader[12];
            if (!storedPrevious.AsSpan().SequenceEqual(previous))
            {
                return new(false, sequence - 1, checkpoints.Count, sequence, "The entry does not link to the one before it.");
            }

            var hash = AuditChain.ComputeHash(sequence, reader.GetString(1), record, previous);
            if (!hash.AsSpan().SequenceEqual(storedHash))
            {
                return new(false, sequence - 1, checkpoints.Count, sequence, "The entry was changed after it was written.");
            }

            if (expectedBySequence.TryGetValue(sequence, out var checkpoint) && !checkpoint.Hash.AsSpan().SequenceEqual(hash))
            {
                return new(false, sequence - 1, checkpoints.Count, sequence, "The entry differs from what a signed checkpoint recorded.");
            }

            previous = hash;
            expected++;
        }

        var last = expected - 1;
        var beyond = expectedBySequence.Keys.Where(s => s > last).DefaultIfEmpty(0).Max();
        return beyond > 0
            ? new(false, last, checkpoints.Count, last + 1, $"The trail ends at {last} but a signed checkpoint covers entries up to {beyond}: the tail was removed.")
            : new(true, last, checkpoints.Count, null, null);
    }

    /// <summary>The public keys of every signing key the vault database ever had, by key id.</summary>
    public static Dictionary<string, string> ReadSigningKeys(SqliteConnection vaultDatabase)
    {
        ArgumentNullException.ThrowIfNull(vaultDatabase);
        using var command = vaultDatabase.CreateCommand();
        command.CommandText = "SELECT id, public_jwk FROM signing_keys;";
        using var reader = command.ExecuteReader();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            keys[reader.GetString(0)] = reader.GetString(1);
        }

        return keys;
    }

    /// <summary>The keys of a JWKS document (<c>{"keys": [...]}</c>), by key id.</summary>
    public static Dictionary<string, string> ReadJwks(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => k.TryGetProperty("kid", out _))
            .ToDictionary(k => k.GetProperty("kid").GetString()!, k => k.GetRawText(), StringComparer.Ordinal);
    }

    public static List<AuditCheckpoint> ReadCheckpoints(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, hash, created_at, key_id, public_jwk, signature FROM audit_checkpoints ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var checkpoints = new List<AuditCheckpoint>();
        while (reader.Read())
        {
            checkpoints.Add(new AuditCheckpoint(
                reader.GetInt64(0),
                (byte[])reader[1],
                DateTimeOffset.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5)));
        }

        return checkpoints;
    }

    private static string? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
