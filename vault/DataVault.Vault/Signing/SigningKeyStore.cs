using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Signing;

/// <summary>A published ES256 public key.</summary>
public sealed record PublishedSigningKey(string KeyId, ECParameters PublicKey, string PublicJwk, DateTimeOffset NotBefore, DateTimeOffset ExpiresAt);

/// <summary>The key that signs now. <see cref="CreateSigner"/> returns a fresh <see cref="ECDsa"/> the caller disposes.</summary>
public sealed class ActiveSigningKey(string keyId, byte[] pkcs8)
{
    public string KeyId { get; } = keyId;

    public ECDsa CreateSigner()
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return ecdsa;
    }

    public override string ToString() => $"ActiveSigningKey({KeyId}, ***)";
}

/// <summary>
/// ES256 signing keys with overlapping rotation: a successor is created and published
/// <see cref="SigningKeyOptions.PublishAhead"/> before it starts signing, and a retired key stays
/// published for <see cref="SigningKeyOptions.PublishAfterRetirement"/>. Private keys are stored
/// only protected by Data Protection. Every instance reads the same table, so a scaled-out
/// deployment shares one key set.
/// </summary>
public sealed class SigningKeyStore(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<SigningKeyOptions> options,
    TimeProvider time,
    ILogger<SigningKeyStore> logger) : IDisposable
{
    private const string Algorithm = "ES256";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("DataVault.Vault.SigningKey.v1");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot _snapshot = new([], DateTimeOffset.MinValue);
    private Task<IReadOnlyList<PublishedSigningKey>>? _refresh;
    private (ActiveSigningKey Key, DateTimeOffset ValidUntil)? _active;

    /// <summary>
    /// The key to sign with now, creating or rotating keys as the schedule requires. The unwrapped key
    /// is kept until the next rotation step is due (or 30 seconds, so other instances' keys are seen),
    /// so issuing a token or a receipt does not read the table and unwrap the key each time.
    /// </summary>
    public async Task<ActiveSigningKey> GetActiveKeyAsync(CancellationToken cancellationToken)
    {
        if (_active is { } cached && time.GetUtcNow() < cached.ValidUntil)
        {
            return cached.Key;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            var now = time.GetUtcNow();
            var keys = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
            var active = keys.Where(k => k.NotBefore <= now && now < k.RetireAt).OrderByDescending(k => k.NotBefore).FirstOrDefault();
            if (active is null)
            {
                active = Create(db, now);
                keys.Add(active);
            }

            var settings = options.Value;
            if (now >= active.RetireAt - settings.PublishAhead && !keys.Any(k => k.NotBefore >= active.RetireAt))
            {
                keys.Add(Create(db, active.RetireAt));
            }

            await db.SaveChangesAsync(cancellationToken);
            _snapshot = new Snapshot(Publishable(keys, now), now);
            var key = new ActiveSigningKey(active.Id, _protector.Unprotect(active.ProtectedPrivateKey));
            var nextStep = active.RetireAt - settings.PublishAhead;
            _active = (key, Min(now + RefreshInterval, nextStep > now ? nextStep : active.RetireAt));
            return key;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The keys that verify tokens now: published ones, refreshed from the database at most every 30 seconds.</summary>
    public async Task<IReadOnlyList<PublishedSigningKey>> GetPublishedKeysAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
        {
            return snapshot.Keys;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var now = time.GetUtcNow();
        var keys = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        _snapshot = new Snapshot(Publishable(keys, now), now);
        return _snapshot.Keys;
    }

    /// <summary>
    /// For token validation, which is synchronous: the cached published keys, re-read when older than
    /// 30 seconds by a single refresh that concurrent callers share. A key id the cache does not know
    /// triggers nothing: successors are published days before they sign (<see cref="SigningKeyOptions.PublishAhead"/>),
    /// so tokens with made-up key ids cannot make requests wait on the database.
    /// </summary>
    public IReadOnlyList<PublishedSigningKey> GetPublishedKeys()
    {
        var snapshot = _snapshot;
        if (time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
        {
            return snapshot.Keys;
        }

        var refresh = Volatile.Read(ref _refresh);
        if (refresh is null || refresh.IsCompleted)
        {
            var started = GetPublishedKeysAsync(CancellationToken.None);
            refresh = Interlocked.CompareExchange(ref _refresh, started, refresh) == refresh ? started : Volatile.Read(ref _refresh)!;
        }

        return refresh.GetAwaiter().GetResult();
    }

    public void Dispose() => _gate.Dispose();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private SigningKeyRecord Create(VaultDbContext db, DateTimeOffset notBefore)
    {
        var settings = options.Value;
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var record = new SigningKeyRecord
        {
            Id = keyId,
            Algorithm = Algorithm,
            ProtectedPrivateKey = _protector.Protect(ecdsa.ExportPkcs8PrivateKey()),
            PublicJwk = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url.Encode(parameters.Q.X!),
                ["y"] = Base64Url.Encode(parameters.Q.Y!),
                ["kid"] = keyId,
                ["use"] = "sig",
                ["alg"] = Algorithm,
            }),
            CreatedAt = time.GetUtcNow(),
            NotBefore = notBefore,
            RetireAt = notBefore + settings.SigningPeriod,
            ExpiresAt = notBefore + settings.SigningPeriod + settings.PublishAfterRetirement,
        };
        db.SigningKeys.Add(record);
        Log.SigningKeyCreated(logger, keyId, record.NotBefore, record.RetireAt);
        return record;
    }

    private static List<PublishedSigningKey> Publishable(IEnumerable<SigningKeyRecord> keys, DateTimeOffset now) =>
        keys.Where(k => k.ExpiresAt > now)
            .OrderBy(k => k.NotBefore)
            .Select(k => new PublishedSigningKey(k.Id, PublicKey(k.PublicJwk), k.PublicJwk, k.NotBefore, k.ExpiresAt))
            .ToList();

    private static ECParameters PublicKey(string jwk)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(jwk)!;
        return new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(values["x"]), Y = Base64Url.Decode(values["y"]) },
        };
    }



    private sealed record Snapshot(IReadOnlyList<PublishedSigningKey> Keys, DateTimeOffset LoadedAt);
}
