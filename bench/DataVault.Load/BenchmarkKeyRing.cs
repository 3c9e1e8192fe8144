using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DataVault.Load;

/// <summary>
/// The certificate that encrypts a benchmark vault's key ring at rest, as the service requires outside
/// Development: self-signed, made once per data directory. It sits in that throw-away directory,
/// which a real deployment must never do (README.md, "Keys and backups").
/// </summary>
internal static class BenchmarkKeyRing
{
    private const string Password = "benchmark";

    /// <summary>The vault settings naming the certificate of <paramref name="dataDirectory"/>, made on first use.</summary>
    public static Dictionary<string, string> Settings(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "key-ring.pfx");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=DataVault key ring (benchmark)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        }

        return new Dictionary<string, string>
        {
            ["Vault:KeyRingCertificatePath"] = path,
            ["Vault:KeyRingCertificatePassword"] = Password,
        };
    }
}
