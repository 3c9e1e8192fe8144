using System.Net;
using DataVault.Api.Cli;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>
/// The Data Protection key ring unwraps every data key: outside Development the service starts only
/// when it is encrypted at rest, and says in one paragraph how to configure that when it is not.
/// </summary>
public sealed class KeyRingProtectionTests
{
    [Fact]
    public async Task Service_OutsideDevelopmentWithoutCertificate_RefusesToStartWithOneParagraph()
    {
        using var directory = new TempDirectory();

        var (code, output, error) = await ServiceProcess.RunToExitAsync(directory.Path, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Vault__DataDirectory"] = directory.Path,
            ["Api__PublicOrigin"] = "https://vault.example.com",
        });

        Assert.Equal(3, code);
        Assert.Contains("Vault:KeyRingCertificatePath", error, StringComparison.Ordinal);
        Assert.Contains("Vault:KeyRingCertificateThumbprint", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Exception", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);

        // Refused before any key was made: nothing was written to the key ring in plain text.
        var keys = Path.Combine(directory.Path, "keys");
        Assert.True(!Directory.Exists(keys) || Directory.GetFiles(keys).Length == 0);
    }

    [Fact]
    public async Task Service_OutsideDevelopmentWithCertificate_StartsAndKeepsTheKeyRingEncrypted()
    {
        using var data = new TempDirectory();
        var certificate = Path.Combine(data.Path, "key-ring.pfx");
        TestKeyRing.WriteCertificate(certificate, "pfx password");
        var settings = new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Vault:DataDirectory"] = data.Path,
            ["Vault:KeyRingCertificatePath"] = certificate,
            ["Vault:KeyRingCertificatePassword"] = "pfx password",
            ["Mail:PickupDirectory"] = Path.Combine(data.Path, "mail"),
        };
        string id;
        await using (var app = new DataVaultApplication(settings: settings))
        {
            using var client = await app.CreateClientAsync("crm-first");
            id = await SubjectEndpointsTests.CreateAsync(client, new { given_name = "Ringo" });
        }

        var files = Directory.GetFiles(Path.Combine(data.Path, "keys"), "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        }

        // A restart reads the encrypted ring with the certificate's private key: the data keys it wrapped still open.
        await using var restarted = new DataVaultApplication(settings: settings);
        using var http = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        await using var scope = restarted.Services.CreateAsyncScope();
        var subject = await scope.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(id, CancellationToken.None);
        Assert.Equal("Ringo", Assert.Single(subject.Value!.Fields).Value.GetString());
    }

    [Fact]
    public async Task Service_InDevelopmentWithoutCertificate_StartsWithOneWarningLine()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            ["Vault:KeyRingCertificatePath"] = string.Empty,
        });
        using var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        var warning = Assert.Single(app.Monitor.Lines, l => l.Contains("stored unencrypted", StringComparison.Ordinal));
        Assert.Contains("Vault:KeyRingCertificatePath", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCli_OutsideDevelopmentWithoutCertificate_RefusesWithExitCode3()
    {
        using var directory = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await AdminCli.RunAsync(["clients", "list"], output, error, new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path });

        Assert.Equal(3, code);
        Assert.Contains("Vault:KeyRingCertificatePath", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "keys")) && Directory.GetFiles(Path.Combine(directory.Path, "keys")).Length > 0);
    }

    [Fact]
    public async Task Service_CertificateFileUnreadable_RefusesWithWhatToFix()
    {
        using var directory = new TempDirectory();
        var certificate = Path.Combine(directory.Path, "key-ring.pfx");
        TestKeyRing.WriteCertificate(certificate, "right password");

        var (code, _, error) = await ServiceProcess.RunToExitAsync(directory.Path, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Vault__DataDirectory"] = directory.Path,
            ["Api__PublicOrigin"] = "https://vault.example.com",
            ["Vault__KeyRingCertificatePath"] = certificate,
            ["Vault__KeyRingCertificatePassword"] = "wrong password",
        });

        Assert.Equal(3, code);
        Assert.Contains("password is wrong", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
