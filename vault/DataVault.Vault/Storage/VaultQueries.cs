using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Storage;

internal static class VaultQueries
{
    /// <summary>The latest version of every field (rectification adds versions; reads take the newest).</summary>
    public static IQueryable<FieldValueRecord> LatestFieldVersions(this VaultDbContext db) =>
        db.FieldValues.AsNoTracking()
            .Where(v => v.Version == db.FieldValues.Where(w => w.SubjectId == v.SubjectId && w.Field == v.Field).Max(w => w.Version));
}
