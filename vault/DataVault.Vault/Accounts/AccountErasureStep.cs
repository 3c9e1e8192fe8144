using DataVault.Vault.Erasure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Accounts;

/// <summary>
/// GDPR Art. 17: erasing a subject deletes its portal account (sign-in address, password hash,
/// second-factor key, roles, claims) and its invitations, in the erasure's own transaction, so no
/// personal data stays linked to the tombstone and a half-done erasure cannot leave a working login.
/// </summary>
internal sealed class AccountErasureStep(ILogger<AccountErasureStep> logger) : IErasureStep
{
    public async Task EraseAsync(DatabaseFacade database, string subjectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);

        // Child rows are deleted explicitly rather than by ON DELETE CASCADE, so the result does not
        // depend on the connection having foreign keys switched on.
        await database.ExecuteSqlAsync($"""
            DELETE FROM "AspNetUserTokens" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = {subjectId});
            DELETE FROM "AspNetUserClaims" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = {subjectId});
            DELETE FROM "AspNetUserLogins" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = {subjectId});
            DELETE FROM "AspNetUserRoles" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = {subjectId});
            DELETE FROM invitations WHERE subject_id = {subjectId};
            """, cancellationToken);
        var accounts = await database.ExecuteSqlAsync($"""DELETE FROM "AspNetUsers" WHERE "SubjectId" = {subjectId};""", cancellationToken);
        if (accounts > 0)
        {
            Log.AccountErased(logger, subjectId);
        }
    }
}
