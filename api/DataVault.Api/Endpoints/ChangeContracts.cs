using DataVault.Vault.Changes;

namespace DataVault.Api.Endpoints;

/// <summary>A change the client must hear of (GDPR Art. 19): ids, names and codes, never a value.</summary>
/// <param name="Id">The event's id (<c>evt_…</c>), the same for every recipient: deduplicate by it.</param>
/// <param name="Sequence">The event's place among all the vault's events: apply a subject's events in this order.</param>
/// <param name="Type">consent.given, consent.withdrawn, consent.expired, objection.recorded, objection.lifted, restriction.placed, restriction.lifted, subject.rectified, subject.erased, data.destroyed or purpose.version-changed.</param>
/// <param name="OccurredAt">When the change was committed.</param>
/// <param name="SubjectId">The subject concerned; null for a change of the catalogue.</param>
/// <param name="Purposes">The purposes affected.</param>
/// <param name="Fields">The names of the fields affected; refetch their values through a read for a purpose.</param>
/// <param name="RequestId">The data-subject request the change fulfilled, if any.</param>
/// <param name="Data">Codes qualifying the change: <c>from</c>/<c>to</c> purpose versions, <c>scope</c> (<c>all</c>: to all processing), <c>source</c>.</param>
internal sealed record ChangeEventResponse(
    string Id,
    long Sequence,
    string Type,
    DateTimeOffset OccurredAt,
    string? SubjectId,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> Fields,
    string? RequestId,
    IReadOnlyDictionary<string, string>? Data)
{
    public static ChangeEventResponse From(ChangeEventView view) =>
        new(view.Id, view.Sequence, view.Type, view.OccurredAt, view.SubjectId, view.Purposes, view.Fields, view.RequestId, view.Data);
}

/// <summary>A page of the client's change feed.</summary>
/// <param name="Events">The events in feed order; empty when none came within the wait.</param>
/// <param name="Next">Pass as <c>after</c> to read on; the same cursor again when the page is empty.</param>
internal sealed record ChangeFeedResponse(IReadOnlyList<ChangeEventResponse> Events, string Next);
