namespace DataVault.Vault.Changes;

/// <summary>
/// What a change did, as its recipients must hear of it: names, ids and codes, never a value. A write states it
/// through <see cref="Storage.VaultWriteContext.Changed"/> inside its own transaction; who caused it comes from the
/// write (<see cref="ChangeOrigin"/>), not from here, so no emitter can leave it out.
/// </summary>
/// <param name="Type">One of <see cref="ChangeTypes"/>.</param>
/// <param name="SubjectId">The subject concerned; null for a change of the catalogue (a new purpose version).</param>
/// <param name="Purposes">The purposes affected.</param>
/// <param name="Fields">The field names affected.</param>
/// <param name="Data">Small codes that qualify the change (purpose versions, scope); never personal data.</param>
/// <param name="Published">False for facts only the vault's observers see (<see cref="ChangeTypes.ConsentRefused"/>).</param>
internal sealed record ChangeFact(
    string Type,
    string? SubjectId,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> Fields,
    IReadOnlyDictionary<string, string>? Data = null,
    bool Published = true);
