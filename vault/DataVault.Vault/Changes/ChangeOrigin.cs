using DataVault.Vault.Audit;

namespace DataVault.Vault.Changes;

/// <summary>
/// Who caused a change, carried by the write itself (<see cref="Storage.VaultWrite{T}.Origin"/>) so that every fact
/// it states names the same actor and data-subject request, whichever emitter states it.
/// </summary>
/// <param name="ActorType">One of the <see cref="AuditActors"/> codes.</param>
/// <param name="ActorId">The client, account or subject id; the part of the vault for a system change.</param>
/// <param name="RequestId">The data-subject request the change fulfils, when it fulfils one.</param>
public sealed record ChangeOrigin(string ActorType, string ActorId, string? RequestId)
{
    /// <summary>A change the vault makes by itself (start-up, the clock).</summary>
    public static ChangeOrigin System(string part) => Of(Actor.System(part));

    /// <summary>A change made by <paramref name="actor"/>, for the data-subject request it acts to fulfil, if any.</summary>
    public static ChangeOrigin Of(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(actor.Type, actor.Id, actor.RequestId);
    }
}
