using System.Text;
using BenchmarkDotNet.Attributes;
using DataVault.Vault.Encryption;

namespace DataVault.Bench;

/// <summary>
/// Decrypting one stored field version (<see cref="FieldCipher.Decrypt"/>): AES-256-GCM with the
/// subject, field and version bound as associated data. A consented read decrypts each released field
/// (4 for <c>marketing-email</c>), an export page 4 per subject; goal: under 2 µs per field.
/// </summary>
[MemoryDiagnoser]
public class FieldDecryptBenchmark
{
    private const string SubjectId = "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a";

    private DataKey key = DataKey.Generate();
    private byte[] email = [];
    private byte[] address = [];

    [GlobalSetup]
    public void Setup()
    {
        key = DataKey.Generate();
        email = FieldCipher.Encrypt(key, SubjectId, "email", 3, Encoding.UTF8.GetBytes("\"ana.garcia.puig@example.com\""));
        address = FieldCipher.Encrypt(key, SubjectId, "postal_address", 1, Encoding.UTF8.GetBytes("\"Carrer de Mallorca 401, 3r 2a\\n08013 Barcelona\\nSpain\""));
    }

    /// <summary>A short value: an e-mail address (29 bytes of JSON).</summary>
    [Benchmark(Baseline = true)]
    public byte[] DecryptEmail() => FieldCipher.Decrypt(key, SubjectId, "email", 3, email);

    /// <summary>A longer value: a three-line postal address.</summary>
    [Benchmark]
    public byte[] DecryptPostalAddress() => FieldCipher.Decrypt(key, SubjectId, "postal_address", 1, address);
}
