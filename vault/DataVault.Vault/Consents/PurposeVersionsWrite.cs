using DataVault.Policies;
using DataVault.Vault.Changes;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Consents;

/// <summary>
/// Notes when each purpose version first came into force, so consent "as at" an instant is judged against the
/// definition the subject saw then, not today's. A purpose whose definition changed since the last start is a
/// change its recipients must hear of (what they were given may now be used differently, or not at all): it is
/// stated with the version it replaces and the new one.
/// </summary>
internal sealed class PurposeVersionsWrite(PolicyCatalogue catalogue, TimeProvider time) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        var known = new HashSet<(string Purpose, string Version)>();
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = context.Query("SELECT purpose_id, version FROM purpose_versions ORDER BY effective_from, version;"))
        {
            while (reader.Read())
            {
                known.Add((reader.GetString(0), reader.GetString(1)));
                latest[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var now = time.GetUtcNow();
        foreach (var purpose in catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            if (known.Contains((purpose.Id, purpose.Version)))
            {
                continue;
            }

            context.Execute("INSERT INTO purpose_versions (purpose_id, version, effective_from) VALUES ($1, $2, $3);", purpose.Id, purpose.Version, now);
            if (latest.TryGetValue(purpose.Id, out var previous))
            {
                context.Changed(ChangeFacts.ForPurposes(
                    ChangeTypes.PurposeVersionChanged,
                    null,
                    [purpose],
                    new Dictionary<string, string> { ["from"] = previous, ["to"] = purpose.Version }));
            }
        }

        return true;
    }
}
