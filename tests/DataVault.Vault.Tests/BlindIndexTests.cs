using System.Security.Cryptography;
using DataVault.Vault.Encryption;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class BlindIndexTests
{
    [Fact]
    public void Compute_DependsOnKeyFieldAndValue_AndIsNotAPlainHash()
    {
        var index = new BlindIndex();
        index.UseKey(RandomNumberGenerator.GetBytes(32));
        var other = new BlindIndex();
        other.UseKey(RandomNumberGenerator.GetBytes(32));

        var digest = index.Compute("email", "ana@example.com");

        Assert.Equal(digest, index.Compute("email", "ana@example.com"));
        Assert.NotEqual(digest, other.Compute("email", "ana@example.com"));
        Assert.NotEqual(digest, index.Compute("phone", "ana@example.com"));
        Assert.NotEqual(digest, SHA256.HashData("ana@example.com"u8));
    }

    [Fact]
    public async Task BlindIndexKey_SurvivesRestart_SoLookupsStillMatch()
    {
        var time = new Testing.ManualTimeProvider();
        await using var vault = await TestVault.StartAsync(time);
        string subjectId;
        await using (var scope = vault.Scope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<SubjectService>()
                .CreateAsync(RetentionServiceTests.Fields(("email", "Ana@Example.com")), CancellationToken.None);
            subjectId = created.Value!.Id;
        }

        // A second start over the same files (a restart) loads the same wrapped blind-index key.
        await vault.Services.InitializeVaultAsync();
        await using (var scope = vault.Scope())
        {
            var found = await scope.ServiceProvider.GetRequiredService<SubjectService>().FindAsync("email", "ana@example.com", CancellationToken.None);
            Assert.Equal([subjectId], found.Value);
        }
    }
}
