using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DataVault.Vault.Storage;

/// <summary>
/// Turns on SQLite's <c>secure_delete</c> for every connection, so that deleted ciphertexts and
/// wrapped keys are overwritten with zeros instead of lingering in free pages of the file
/// (GDPR Art. 17: erasure must not leave recoverable copies behind).
/// </summary>
internal sealed class SecureDeleteInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Apply(connection);
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA secure_delete = ON;";
        command.ExecuteNonQuery();
    }
}
