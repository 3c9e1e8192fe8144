using System.Diagnostics;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>The outcome of verifying an audit trail.</summary>
/// <param name="IsValid">True when every entry chains to the one before and every checkpoint matches and is signed.</param>
/// <param name="Entries">Entries examined.</param>
/// <param name="Checkpoints">Checkpoints examined.</param>
/// <param name="FirstBadSequence">The first sequence number where the trail is wrong, if any.</param>
/// <param name="Problem">What is wrong there, in words.</param>
public sealed record AuditVerification(bool IsValid, long Entries, int Checkpoints, long? FirstBadSequence, string? Problem);

/// <summary>
/// Verifies the hash chain and the signed checkpoints of an audit database: an edited field, a
/// deleted or reordered entry, or a tail truncated behind a checkpoint is reported with the first
/// sequence number affected. Optional external checkpoints (an exported copy kept elsewhere) catch
/// an attacker who rewrote both entries and checkpoints.
/// </summary>
public static class AuditVerifier
{
    /// <param name="connection">The audit database.</param>
    /// <param name="trustedKeys">Public JWKs by key id that checkpoints must be signed with.</param>
    /// <param name="external">Checkpoints exported earlier and kept elsewhere.</param>
    /// <param name="path">The code that reads and hashes the entries; the managed path finds the same faults, more slowly.</param>
    public static AuditVerification Verify(
        SqliteConnection connection, IReadOnlyDictionary<string, string> trustedKeys, IReadOnlyList<AuditCheckpoint>? external = null, AuditScanPath path = AuditScanPath.Native)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var checkpoints = ReadCheckpoints(connection);
        List<AuditCheckpoint> all = [.. checkpoints, .. external ?? []];

        // The hash each checkpoint records, and the first checkpoint that disagrees with an earlier one.
        var expectedBySequence = new Dictionary<long, AuditCheckpoint>();
        var disagreeing = -1;
        for (var i = 0; i < all.Count && disagreeing < 0; i++)
        {
            if (!expectedBySequence.TryAdd(all[i].Sequence, all[i]) && !expectedBySequence[all[i].Sequence].Hash.AsSpan().SequenceEqual(all[i].Hash))
            {
                disagreeing = i;
            }
        }

        if (disagreeing >= 0)
        {
            return CheckpointProblem(all, disagreeing, trustedKeys, checkpoints.Count)!;
        }

        // The entries are read and hashed while the checkpoints' signatures are verified.
        using var scan = AuditChainScan.Start(connection, expectedBySequence, path);
        if (CheckpointProblem(all, disagreeing: -1, trustedKeys, checkpoints.Count) is { } problem)
        {
            return problem;
        }

        var (fault, at) = scan.Join();
        if (fault != AuditFault.None)
        {
            return new(false, at - 1, checkpoints.Count, at, fault switch
            {
                AuditFault.Missing => "Entries are missing.",
                AuditFault.OutOfOrder => "Entries are out of order.",
                AuditFault.Unlinked => "The entry does not link to the one before it.",
                AuditFault.Changed => "The entry was changed after it was written.",
                AuditFault.CheckpointDiffers => "The entry differs from what a signed checkpoint recorded.",
                _ => throw new UnreachableException(),
            });
        }

        var last = at - 1;
        var beyond = expectedBySequence.Keys.Where(s => s > last).DefaultIfEmpty(0).Max();
        return beyond > 0
            ? new(false, last, checkpoints.Count, last + 1, $"The trail ends at {last} but a signed checkpoint covers entries up to {beyond}: the tail was removed.")
            : new(true, last, checkpoints.Count, null, null);
    }

    /// <summary>
    /// The first problem with the checkpoints, in their order: one not signed by a trusted key, or the
    /// one at <paramref name="disagreeing"/> (-1: none), which disagrees with an earlier one about the same entry.
    /// </summary>
    private static AuditVerification? CheckpointProblem(List<AuditCheckpoint> all, int disagreeing, IReadOnlyDictionary<string, string> trustedKeys, int stored)
    {
        using var keys = new AuditCheckpointKeys(trustedKeys);
        var end = disagreeing < 0 ? all.Count : disagreeing + 1;
        for (var i = 0; i < end; i++)
        {
            if (!AuditCheckpoints.IsValid(all[i], keys))
            {
                return new(false, 0, stored, all[i].Sequence, "A checkpoint is not signed by a trusted key of this vault, or its signature does not verify.");
            }
        }

        return disagreeing < 0 ? null : new(false, 0, stored, all[disagreeing].Sequence, "Two checkpoints disagree about the same entry.");
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

    internal static List<AuditCheckpoint> ReadCheckpoints(SqliteConnection connection)
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
                StoredInstant.Parse(reader.GetString(2)),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5)));
        }

        return checkpoints;
    }
}
