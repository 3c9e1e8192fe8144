using System.Security.Cryptography;
using DataVault.Vault.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class SigningKeyStoreTests
{
    [Fact]
    public async Task GetActiveKey_OverTime_RotatesWithOverlap()
    {
        await using var vault = await TestVault.StartAsync();
        var store = vault.Services.GetRequiredService<SigningKeyStore>();

        var first = await store.GetActiveKeyAsync(CancellationToken.None);
        Assert.Equal([first.KeyId], (await store.GetPublishedKeysAsync(CancellationToken.None)).Select(k => k.KeyId));

        // Two days before the 30-day signing period ends, the successor is created and published, but does not sign yet.
        vault.Time.Advance(TimeSpan.FromDays(28) + TimeSpan.FromMinutes(1));
        Assert.Equal(first.KeyId, (await store.GetActiveKeyAsync(CancellationToken.None)).KeyId);
        var published = await store.GetPublishedKeysAsync(CancellationToken.None);
        Assert.Equal(2, published.Count);
        var successor = published.Single(k => k.KeyId != first.KeyId);

        // After the period the successor signs; the old key stays published for tokens it signed.
        vault.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(successor.KeyId, (await store.GetActiveKeyAsync(CancellationToken.None)).KeyId);
        Assert.Contains(first.KeyId, (await store.GetPublishedKeysAsync(CancellationToken.None)).Select(k => k.KeyId));

        // Once no token it signed can be valid, the old key is no longer published.
        vault.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(first.KeyId, (await store.GetPublishedKeysAsync(CancellationToken.None)).Select(k => k.KeyId));
    }

    [Fact]
    public async Task SigningKey_SignaturesVerifyWithThePublishedKey_AndThePrivateKeyIsStoredProtected()
    {
        await using var vault = await TestVault.StartAsync();
        var store = vault.Services.GetRequiredService<SigningKeyStore>();
        var active = await store.GetActiveKeyAsync(CancellationToken.None);
        byte[] data = [1, 2, 3];

        using var signer = active.CreateSigner();
        var signature = signer.SignData(data, HashAlgorithmName.SHA256);
        using var verifier = ECDsa.Create((await store.GetPublishedKeysAsync(CancellationToken.None)).Single().PublicKey);

        Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256));
        Assert.DoesNotContain("***", active.KeyId, StringComparison.Ordinal);
        Assert.EndsWith("***)", active.ToString(), StringComparison.Ordinal);
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT protected_private_key FROM signing_keys;";
        var stored = (byte[])command.ExecuteScalar()!;
        using var probe = ECDsa.Create();
        Assert.ThrowsAny<CryptographicException>(() => probe.ImportPkcs8PrivateKey(stored, out _));
    }
}
