using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DataVault.Vault.Storage;

/// <summary>
/// The naming rule of the vault's own tables: a column is named after its property in snake_case
/// (<c>SubjectId</c> → <c>subject_id</c>), as the SQL migrations create them, so the EF models need
/// no mapping per column. Identity's tables keep Identity's own names.
/// </summary>
internal static class SnakeCaseColumns
{
    /// <summary>Names the column of every property of <paramref name="entity"/> by the rule.</summary>
    public static void Apply(IMutableEntityType entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        foreach (var property in entity.GetProperties())
        {
            property.SetColumnName(Name(property.Name));
        }
    }

    /// <summary>
    /// <c>PurposeVersion</c> → <c>purpose_version</c>: an underscore before each capital that starts a
    /// word (after a lower-case letter or a digit, or before a lower-case letter after a capital, so an
    /// acronym stays one word), and everything in lower case.
    /// </summary>
    public static string Name(string property)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        var name = new StringBuilder(property.Length + 4);
        for (var i = 0; i < property.Length; i++)
        {
            var c = property[i];
            if (i > 0 && char.IsUpper(c) && (!char.IsUpper(property[i - 1]) || (i + 1 < property.Length && char.IsLower(property[i + 1]))))
            {
                name.Append('_');
            }

            name.Append(char.ToLowerInvariant(c));
        }

        return name.ToString();
    }
}
