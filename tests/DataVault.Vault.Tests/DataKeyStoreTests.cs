using System.Data.Common;
using System.Text.Json;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using DataVault.Vault.Release;
using DataVault.Vault.Encryption;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>
/// A data key read before an erasure and unwrapped after it must never enter the key cache: the
/// rectification, the customer's own read (portal) and the purpose export take the same eviction
/// stamp before reading a key as the consented read does.
/// </summary>
public sealed class DataKeyStoreTests
{
    public static TheoryData<string> Paths => ["rectify", "portal read", "purpose export"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FindAsync_KeyReadJustBeforeAnErasure_IsNotCachedAfterIt(string path)
    {
        var erasure = new EraseWhileAKeyIsRead();
        await using var vault = await TestVault.StartAsync(configure: services =>
        {
            services.AddSingleton(erasure);
            services.ConfigureDbContext<Storage.VaultDbContext>(db => db.AddInterceptors(erasure));
        });
        var cache = vault.Services.GetRequiredService<DataKeyCache>();
        string subjectId;
        await using (var scope = vault.Scope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields("""{"given_name":"Ana","email":"ana@example.com"}"""), CancellationToken.None);
            subjectId = created.Value!.Id;
        }

        // As after a minute without use: the next read of the key goes to the database.
        cache.Evict(subjectId, "standard");
        erasure.Arm(async () =>
        {
            await using var eraser = vault.Scope();
            var erased = await eraser.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, erased.Outcome);
        });

        await using (var scope = vault.Scope())
        {
            var services = scope.ServiceProvider;
            switch (path)
            {
                case "rectify":
                    Assert.Equal(VaultOutcome.Gone, (await services.GetRequiredService<SubjectService>().RectifyAsync(subjectId, Fields("""{"given_name":"Ana María"}"""), Actor.System("test"), CancellationToken.None)).Outcome);
                    break;
                case "portal read":
                    await services.GetRequiredService<SubjectService>().GetAsync(subjectId, CancellationToken.None);
                    break;
                default:
                    await services.GetRequiredService<ReleaseService>().ListAsync("service-delivery", null, 10, CancellationToken.None);
                    break;
            }
        }

        Assert.True(erasure.Erased, "The erasure did not run between the key's read and its caching.");
        Assert.False(cache.TryGet(subjectId, "standard", out _), "A key of an erased subject is back in the cache.");
    }

    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    /// <summary>
    /// Once armed, runs a real erasure right after the next read of the <c>data_keys</c> table has
    /// stepped onto its row (the read's snapshot is taken) and before the row is materialised and unwrapped.
    /// </summary>
    private sealed class EraseWhileAKeyIsRead : DbCommandInterceptor
    {
        private Func<Task>? _erase;

        public bool Erased { get; private set; }

        public void Arm(Func<Task> erase) => _erase = erase;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (_erase is { } erase && command.CommandText.Contains("\"data_keys\"", StringComparison.Ordinal))
            {
                _erase = null;
                await erase();
                Erased = true;
            }

            return result;
        }
    }
}
