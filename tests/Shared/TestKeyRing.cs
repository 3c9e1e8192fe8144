using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DataVault.Testing;

/// <summary>
/// The certificate that encrypts the test hosts' Data Protection key rings at rest, as outside
/// Development the service requires: a self-signed RSA certificate with its private key, written once
/// per test process as a PKCS#12 file and deleted when the process ends.
/// </summary>
internal static class TestKeyRing
{
    private static readonly Lazy<(string Path, string Password)> Shared = new(CreateShared);

    /// <summary>Settings that name the shared certificate (<c>Vault:KeyRingCertificatePath</c> and its password).</summary>
    public static IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var (path, password) = Shared.Value;
            return new Dictionary<string, string?>
            {
                ["Vault:KeyRingCertificatePath"] = path,
                ["Vault:KeyRingCertificatePassword"] = password,
            };
        }
    }

    /// <summary><paramref name="settings"/> with the shared certificate's settings added.</summary>
    public static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>Writes a new self-signed certificate with its private key to <paramref name="path"/> as PKCS#12.</summary>
    public static void WriteCertificate(string path, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=DataVault key ring (tests)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
    }

    private static (string Path, string Password) CreateShared()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "datavault-tests", "key-ring-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS temp cleaner.
            }
        };
        var path = System.IO.Path.Combine(directory, "key-ring.pfx");
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        WriteCertificate(path, password);
        return (path, password);
    }
}
