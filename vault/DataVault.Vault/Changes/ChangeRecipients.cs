using DataVault.Vault.Audit;
using DataVault.Vault.Clients;

namespace DataVault.Vault.Changes;

/// <summary>Why a client is told of a change event; stored as the code.</summary>
public static class ChangeReasons
{
    /// <summary>It received an affected field for an affected purpose (or any field, for a change to the whole subject).</summary>
    public const string Received = "received";

    /// <summary>It created or rectified the subject, so it keeps a copy of what it provided (Art. 17(2)).</summary>
    public const string Provided = "provided";

    /// <summary>It may read the feed and use the purpose, and the change makes the subject processable for it.</summary>
    public const string Registered = "registered";
}

/// <summary>A change event as routing needs it: what it concerns, never a value.</summary>
internal sealed record RoutableChange(
    long Sequence,
    string Type,
    DateTimeOffset OccurredAt,
    string? SubjectId,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> Fields,
    bool WholeSubject,
    int Routing);

/// <summary>
/// Who must be told of a change (item 3 of the change feed): clients that received an affected field for an
/// affected purpose before it, clients that provided the subject's data, and — only when the change makes the
/// subject processable for a purpose — enabled clients allowed that purpose that read the feed. No other client
/// hears of the subject at all. Pure: the ledger lines, the clients and the purposes the subject is processable
/// for are given.
/// </summary>
internal static class ChangeRecipients
{
    /// <summary>The kinds of change after which a registered client may find the subject in its purpose export.</summary>
    private static readonly HashSet<string> MakeProcessable = new(StringComparer.Ordinal)
    {
        ChangeTypes.ConsentGiven, ChangeTypes.ObjectionLifted, ChangeTypes.RestrictionLifted,
    };

    /// <summary>
    /// Whether the change calls for registered clients to be told of it, and for which of its purposes; the caller
    /// then says, by the release rule, for which of them the subject is processable now.
    /// </summary>
    public static bool AsksWhetherProcessable(RoutableChange change) =>
        change.SubjectId is not null && MakeProcessable.Contains(change.Type);

    /// <param name="change">The event.</param>
    /// <param name="ledger">The subject's recipient ledger.</param>
    /// <param name="clients">The registered clients.</param>
    /// <param name="processable">The purposes of the event the subject may now be processed for (only asked when <see cref="AsksWhetherProcessable"/>).</param>
    /// <param name="receivedUntil">Releases first recorded up to this instant count as made before the event: a release's entry may commit after the event it raced.</param>
    public static IReadOnlyList<(string ClientId, string Reason)> For(
        RoutableChange change,
        IReadOnlyList<RecipientRecord> ledger,
        IEnumerable<ClientInfo> clients,
        IReadOnlySet<string> processable,
        DateTimeOffset receivedUntil)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(processable);
        var enabled = clients.Where(c => c.IsEnabled).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ledger.Where(l => l.FirstAt <= receivedUntil && enabled.ContainsKey(l.ClientId)))
        {
            if (line.Provided)
            {
                reasons.TryAdd(line.ClientId, ChangeReasons.Provided);
            }
            else if (change.WholeSubject || (change.Purposes.Contains(line.PurposeId!) && line.Fields.Intersect(change.Fields).Any()))
            {
                reasons[line.ClientId] = ChangeReasons.Received;
            }
        }

        var registeredFor = change.SubjectId is null && change.Type == ChangeTypes.PurposeVersionChanged
            ? change.Purposes
            : AsksWhetherProcessable(change) ? change.Purposes.Where(processable.Contains).ToList() : [];
        foreach (var client in enabled.Values.Where(c => c.Scopes.Contains(Scopes.ChangesRead) && c.AllowedPurposes.Intersect(registeredFor).Any()))
        {
            reasons.TryAdd(client.Id, ChangeReasons.Registered);
        }

        return [.. reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value))];
    }
}
