using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Encryption;

/// <summary>
/// The Data Protection key ring unwraps every data key, so whoever reads it together with the
/// database reads every customer's data. Outside Development it must be encrypted at rest by a key
/// that is not stored beside it (GDPR Art. 32(1)(a)): a certificate from a file or from the
/// certificate store, or any other XML encryptor Data Protection is configured with.
/// </summary>
public static class KeyRingProtection
{
    /// <summary>The certificate named by the vault's settings, or null when none is named.</summary>
    /// <exception cref="ServiceConfigurationException">It is named but cannot be used.</exception>
    internal static X509Certificate2? LoadCertificate(VaultOptions options)
    {
        var path = options.KeyRingCertificatePath is { Length: > 0 } p ? p : null;
        var thumbprint = options.KeyRingCertificateThumbprint is { Length: > 0 } t ? t : null;
        if (path is not null && thumbprint is not null)
        {
            throw new ServiceConfigurationException(
                "DataVault cannot start: both Vault:KeyRingCertificatePath and Vault:KeyRingCertificateThumbprint are set. "
                + "Name the certificate that encrypts the Data Protection key ring once, either as a PKCS#12 file or by its thumbprint in the current user's personal certificate store, and remove the other setting.");
        }

        var certificate = path is not null ? FromFile(path, options.KeyRingCertificatePassword)
            : thumbprint is not null ? FromStore(thumbprint)
            : null;
        if (certificate is { HasPrivateKey: false })
        {
            throw new ServiceConfigurationException(
                $"DataVault cannot start: the key ring certificate ({Describe(path, thumbprint)}) has no private key. "
                + "The key ring is encrypted to the certificate's public key and read back with its private key, so the service needs both: "
                + "use a PKCS#12 file that includes the private key (with Vault:KeyRingCertificatePassword), or a store certificate whose private key this account may use.");
        }

        return certificate;
    }

    /// <summary>
    /// Refuses to go on, outside Development, when no XML encryptor protects the key ring at rest;
    /// in Development writes one warning line. Call before anything reads or creates a key.
    /// </summary>
    /// <exception cref="ServiceConfigurationException">Outside Development, with no protection configured.</exception>
    public static void EnsureKeyRingProtected(this IServiceProvider services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(environment);
        if (services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor is not null)
        {
            return;
        }

        var directory = services.GetRequiredService<KeyRingLocation>().Directory;
        if (environment.IsDevelopment())
        {
            Log.KeyRingUnprotected(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingProtection).FullName!), directory);
            return;
        }

        throw new ServiceConfigurationException(
            $"DataVault cannot start: the Data Protection key ring in {directory} would be stored unencrypted, and outside Development the service does not keep "
            + "the keys that unwrap every customer's data keys in plain files beside the database. Give it a certificate with a private key to encrypt the key ring at rest: "
            + "Vault:KeyRingCertificatePath (a PKCS#12 file) with Vault:KeyRingCertificatePassword, or Vault:KeyRingCertificateThumbprint (a certificate in the personal store of the account the service runs as), "
            + "for example as the environment variables Vault__KeyRingCertificatePath and Vault__KeyRingCertificatePassword. "
            + "Keep the certificate, and its backup, apart from the database and the key ring and their backups (README.md, \"Keys and backups\"). "
            + "Only ASPNETCORE_ENVIRONMENT=Development runs without it.");
    }

    private static X509Certificate2 FromFile(string path, string? password)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(full, password);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ServiceConfigurationException(
                $"DataVault cannot start: the key ring certificate {full} (Vault:KeyRingCertificatePath) cannot be read: {Reason(exception)} "
                + "It must be a PKCS#12 (.pfx/.p12) file with its private key, readable by the account the service runs as, and Vault:KeyRingCertificatePassword must be its password.");
        }
    }

    private static X509Certificate2 FromStore(string thumbprint)
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0)
            {
                return found[0];
            }
        }
        catch (CryptographicException)
        {
            // The store does not exist for this account: the certificate is not in it either.
        }

        throw new ServiceConfigurationException(
                $"DataVault cannot start: no certificate with the thumbprint {thumbprint} (Vault:KeyRingCertificateThumbprint) is in the personal certificate store of the account the service runs as. "
                + "Import the certificate with its private key into that store (on Linux: ~/.dotnet/corefx/cryptography/x509stores/my), or name a PKCS#12 file with Vault:KeyRingCertificatePath instead.");
    }

    private static string Describe(string? path, string? thumbprint) =>
        path is not null ? Path.GetFullPath(path) : $"thumbprint {thumbprint}";

    private static string Reason(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "the file does not exist.",
        UnauthorizedAccessException => "the service may not read it.",
        CryptographicException => "it is not a PKCS#12 file, or the password is wrong.",
        _ => "it could not be opened.",
    };
}

/// <summary>Where the Data Protection key ring is kept (<see cref="VaultOptions.KeyRingDirectory"/>, resolved).</summary>
internal sealed record KeyRingLocation(string Directory);
