using DataVault.Vault.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class AuditWriterTests
{
    [Fact]
    public async Task WriteAsync_StoreRefusesTheBatch_FailsClosedAndLogsTheErrorWithItsException()
    {
        await using var vault = await TestVault.StartAsync();
        using (var connection = vault.Services.GetRequiredService<AuditDatabase>().OpenWriter())
        {
            using var refuse = connection.CreateCommand();
            refuse.CommandText = "CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'entries refused'); END;";
            refuse.ExecuteNonQuery();
        }

        var writer = vault.Services.GetRequiredService<AuditWriter>();
        var record = new AuditRecord(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Success, "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a", "marketing-email", "email");

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.WriteAsync(record, CancellationToken.None));

        // The request only learns that it failed closed; the log keeps why.
        var logged = Assert.Single(vault.Logs.Entries, e => e.EventId == 1401);
        Assert.Equal(19, Assert.IsType<SqliteException>(logged.Exception).SqliteErrorCode);
        Assert.Contains("entries refused", logged.Text, StringComparison.Ordinal);
    }
}
