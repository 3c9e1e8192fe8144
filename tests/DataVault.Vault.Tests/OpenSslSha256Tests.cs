using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DataVault.Vault.Audit;

namespace DataVault.Vault.Tests;

public sealed class OpenSslSha256Tests
{
    [Fact]
    public void Hash_InputsOfManySizes_MatchDotNetSha256()
    {
        // Without OpenSSL 3 the audit chain hashes through .NET alone; where Linux has it, the binding must work.
        using var sha256 = OpenSslSha256.TryCreate();
        var openSsl3 = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _);
        Assert.Equal(openSsl3, sha256 is not null);
        if (sha256 is null)
        {
            return;
        }

        var random = new Random(256);
        var actual = new byte[40];
        foreach (var size in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 447, 1024, 5000 })
        {
            var data = new byte[size];
            random.NextBytes(data);

            sha256.Hash(data, actual);

            Assert.Equal(SHA256.HashData(data), actual[..32]);
        }
    }
}
