using DataVault.Policies.Decisions;
using DataVault.Vault.Encryption;

namespace DataVault.Vault.Release;

/// <summary>
/// What the release rule needs to know about one subject, as <see cref="ReleaseLoader"/> read it in one statement
/// (one snapshot of the database): whether the subject exists or was erased, its restriction, objection and consent
/// events (<see cref="Events"/>, from which the policies derive the state at any instant), the names of its stored
/// fields, the latest version of each field the purpose lists, and its wrapped data keys where they were read.
/// </summary>
internal sealed class ReleaseSnapshot
{
    private List<RestrictionEvent>? _restrictions;
    private List<ObjectionEvent>? _objections;
    private List<(ConsentEvent Event, string Id)>? _consents;
    private SubjectEvents? _events;
    private string[] _consentIds = [];

    public ReleaseSnapshot(string subjectId, long evictionStamp)
    {
        SubjectId = subjectId;
        EvictionStamp = evictionStamp;
    }

    public string SubjectId { get; }

    public bool Found { get; internal set; }

    public bool Erased { get; internal set; }

    /// <summary>The subject's events as the policies judge them; its consent events in the order they were recorded (time, then id).</summary>
    public SubjectEvents Events => _events ?? throw new InvalidOperationException("The snapshot is still being read.");

    /// <summary>The ids of <see cref="SubjectEvents.Consents"/>, position by position.</summary>
    public IReadOnlyList<string> ConsentIds => _consentIds;

    /// <summary>The names of the stored fields read, in name order: the decision names the ones it withholds.</summary>
    public List<string> FieldNames { get; } = new(16);

    /// <summary>The latest version of each stored field the purpose lists: only these may be released.</summary>
    public List<StoredField> ListedFields { get; } = new(8);

    /// <summary>The subject's data keys by key group, where the statement read them: from the key cache where it had them, else wrapped as stored.</summary>
    public Dictionary<string, SubjectKey> Keys { get; } = new(2, StringComparer.Ordinal);

    /// <summary>The key cache's eviction stamp from before the statement ran (<see cref="DataKeyCache.EvictionStamp"/>).</summary>
    public long EvictionStamp { get; }

    /// <summary>The stored field the purpose lists with this name, or null.</summary>
    public StoredField? Listed(string name)
    {
        foreach (var field in ListedFields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return null;
    }

    internal void AddRestriction(RestrictionEvent restriction) => (_restrictions ??= []).Add(restriction);

    internal void AddObjection(ObjectionEvent objection) => (_objections ??= []).Add(objection);

    internal void AddConsent(ConsentEvent consent, string id) => (_consents ??= []).Add((consent, id));

    /// <summary>Puts what was read in order once the statement is done.</summary>
    internal void Complete()
    {
        ConsentEvent[] consents = [];
        if (_consents is not null)
        {
            // Of two events at the same instant the later one wins (ConsentHistory.LatestAt), so keep the recorded order.
            _consents.Sort(static (a, b) => a.Event.At != b.Event.At ? a.Event.At.CompareTo(b.Event.At) : string.CompareOrdinal(a.Id, b.Id));
            consents = new ConsentEvent[_consents.Count];
            _consentIds = new string[_consents.Count];
            for (var i = 0; i < _consents.Count; i++)
            {
                (consents[i], _consentIds[i]) = _consents[i];
            }
        }

        _events = new SubjectEvents((IReadOnlyList<RestrictionEvent>?)_restrictions ?? [], (IReadOnlyList<ObjectionEvent>?)_objections ?? [], consents, Erased);
        FieldNames.Sort(StringComparer.Ordinal);
    }
}

/// <summary>The latest version of one stored field the purpose lists; <see cref="CreatedAt"/> as stored.</summary>
internal sealed record StoredField(string Name, int Version, string KeyGroup, string CreatedAt, byte[] Ciphertext);

/// <summary>A data key of the subject: already unwrapped (from the cache) or as stored, wrapped.</summary>
internal readonly record struct SubjectKey(DataKey? Unwrapped, byte[]? Wrapped);
