using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Encryption;
using DataVault.Vault.Signing;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>A signed statement "the chain up to <see cref="Sequence"/> ends in <see cref="Hash"/>".</summary>
public sealed record AuditCheckpoint(long Sequence, byte[] Hash, DateTimeOffset CreatedAt, string KeyId, string PublicJwk, string Signature);

/// <summary>
/// Signs checkpoints of the chain head as compact JWS (ES256, <c>typ</c> <c>audit-checkpoint+jwt</c>)
/// with the service's published signing keys. The public key travels with each checkpoint, and an
/// exported copy kept elsewhere lets a verifier prove that nothing up to it was changed.
/// </summary>
internal sealed class AuditCheckpoints(SigningKeyStore keys, TimeProvider time)
{
    public const string Type = "audit-checkpoint+jwt";

    public async Task<AuditCheckpoint?> WriteIfDueAsync(SqliteConnection connection, AuditOptions options, DateTimeOffset lastCheckpointAt, CancellationToken cancellationToken)
    {
        var (sequence, hash) = AuditStore.Head(connection, null);
        var last = AuditStore.LastCheckpoint(connection);
        var now = time.GetUtcNow();
        var due = sequence - last >= options.CheckpointEveryEntries || (sequence > last && now - lastCheckpointAt >= options.CheckpointInterval);
        return due ? await WriteAsync(connection, sequence, hash, cancellationToken) : null;
    }

    public async Task<AuditCheckpoint> WriteAsync(SqliteConnection connection, long sequence, byte[] hash, CancellationToken cancellationToken)
    {
        var key = await keys.GetActiveKeyAsync(cancellationToken);
        var published = (await keys.GetPublishedKeysAsync(cancellationToken)).Single(k => k.KeyId == key.KeyId);
        var now = time.GetUtcNow();
        var header = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["kid"] = key.KeyId, ["typ"] = Type }));
        var payload = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["seq"] = sequence,
            ["hash"] = Convert.ToHexStringLower(hash),
            ["iat"] = now.ToUnixTimeSeconds(),
        }));
        using var signer = key.CreateSigner();
        var signature = Base64Url.Encode(signer.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256));
        var checkpoint = new AuditCheckpoint(sequence, hash, now, key.KeyId, published.PublicJwk, $"{header}.{payload}.{signature}");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO audit_checkpoints (sequence, hash, created_at, key_id, public_jwk, signature) VALUES ($s, $h, $c, $k, $j, $sig);";
        insert.Parameters.AddWithValue("$s", sequence);
        insert.Parameters.AddWithValue("$h", hash);
        insert.Parameters.AddWithValue("$c", StoredInstant.Format(now));
        insert.Parameters.AddWithValue("$k", key.KeyId);
        insert.Parameters.AddWithValue("$j", published.PublicJwk);
        insert.Parameters.AddWithValue("$sig", checkpoint.Signature);
        insert.ExecuteNonQuery();
        return checkpoint;
    }

    /// <summary>
    /// Verifies a checkpoint: an ES256 JWS of type <see cref="Type"/>, signed by the key its <c>kid</c>
    /// names among <paramref name="trustedKeys"/> (the service's own signing keys, or a JWKS kept
    /// elsewhere), stating this sequence number and hash. The public key stored with the checkpoint is
    /// never trusted: anyone able to rewrite the database could store their own.
    /// </summary>
    public static bool IsValid(AuditCheckpoint checkpoint, IReadOnlyDictionary<string, string> trustedKeys)
    {
        using var keys = new AuditCheckpointKeys(trustedKeys);
        return IsValid(checkpoint, keys);
    }

    /// <inheritdoc cref="IsValid(AuditCheckpoint, IReadOnlyDictionary{string, string})"/>
    public static bool IsValid(AuditCheckpoint checkpoint, AuditCheckpointKeys trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        var parts = checkpoint.Signature.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.Decode(parts[0]));
            var kid = header.RootElement.GetProperty("kid").GetString();
            if (header.RootElement.GetProperty("alg").GetString() != "ES256"
                || header.RootElement.GetProperty("typ").GetString() != Type
                || kid != checkpoint.KeyId
                || kid is null
                || trustedKeys.Find(kid) is not { } verifier)
            {
                return false;
            }

            if (!verifier.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.Decode(parts[2]), HashAlgorithmName.SHA256))
            {
                return false;
            }

            using var payload = JsonDocument.Parse(Base64Url.Decode(parts[1]));
            return payload.RootElement.GetProperty("seq").GetInt64() == checkpoint.Sequence
                && string.Equals(payload.RootElement.GetProperty("hash").GetString(), Convert.ToHexStringLower(checkpoint.Hash), StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or CryptographicException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>
/// The public keys checkpoints must be signed with, each imported once: importing a P-256 key
/// (which checks the point) costs about as much as verifying a signature, and a trail carries a
/// checkpoint every thousand entries or so. Not thread-safe.
/// </summary>
internal sealed class AuditCheckpointKeys(IReadOnlyDictionary<string, string> trustedKeys) : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _trustedKeys = trustedKeys ?? throw new ArgumentNullException(nameof(trustedKeys));
    private readonly Dictionary<string, ECDsa?> _imported = new(StringComparer.Ordinal);

    /// <summary>The trusted key with this id; null when there is none, or its JWK is not a usable P-256 public key.</summary>
    public ECDsa? Find(string keyId)
    {
        if (_imported.TryGetValue(keyId, out var known))
        {
            return known;
        }

        var key = _trustedKeys.TryGetValue(keyId, out var jwk) ? Import(jwk) : null;
        _imported[keyId] = key;
        return key;
    }

    public void Dispose()
    {
        foreach (var key in _imported.Values)
        {
            key?.Dispose();
        }
    }

    private static ECDsa? Import(string publicJwk)
    {
        try
        {
            var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(publicJwk)!;
            return ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url.Decode(jwk["x"]), Y = Base64Url.Decode(jwk["y"]) },
            });
        }
        catch (Exception exception) when (exception is JsonException or FormatException or CryptographicException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
