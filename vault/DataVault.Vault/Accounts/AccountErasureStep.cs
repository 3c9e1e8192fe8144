using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Accounts;

/// <summary>
/// GDPR Art. 17: erasing a subject deletes its portal account (sign-in address, password hash,
/// second-factor key and recovery codes, roles, claims), its password reset links and its invitations, in the erasure's own transaction, so no
/// personal data stays linked to the tombstone and a half-done erasure cannot leave a working login.
/// </summary>
internal sealed class AccountErasureStep(ILogger<AccountErasureStep> logger) : IErasureStep
{
    public void Erase(VaultWriteContext context, string subjectId)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Child rows are deleted explicitly rather than by ON DELETE CASCADE, so the result does not
        // depend on the connection having foreign keys switched on.
        context.Execute("""DELETE FROM "AspNetUserTokens" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = $1);""", subjectId);
        context.Execute("""DELETE FROM "AspNetUserClaims" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = $1);""", subjectId);
        context.Execute("""DELETE FROM "AspNetUserLogins" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = $1);""", subjectId);
        context.Execute("""DELETE FROM "AspNetUserRoles" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = $1);""", subjectId);
        context.Execute("""DELETE FROM password_resets WHERE account_id IN (SELECT "Id" FROM "AspNetUsers" WHERE "SubjectId" = $1);""", subjectId);
        context.Execute("DELETE FROM invitations WHERE subject_id = $1;", subjectId);
        var accounts = context.Execute("""DELETE FROM "AspNetUsers" WHERE "SubjectId" = $1;""", subjectId);
        if (accounts > 0)
        {
            Log.AccountErased(logger, subjectId);
        }
    }
}
