using DataVault.Policies.Decisions;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Consents;

/// <summary>
/// What a consented read needs to know about one subject for one purpose, read by one SQL statement:
/// the subject row, its restriction and objection events, its consent events for the purpose, the name,
/// version and key group of the latest version of each stored field (the ciphertext only for the fields
/// the purpose lists) and its wrapped data keys (only those not in the key cache). A single statement
/// reads one snapshot of the database, so an erasure or restriction committed while it runs cannot
/// mix with the state before it, and no transaction has to be begun and ended around it.
/// </summary>
internal sealed class ReleaseSnapshot
{
    // One row per fact, the kind in the first column. UNION ALL keeps it one statement (one snapshot);
    // rows of a kind are put in order afterwards where order matters.
    private const string Sql = """
        SELECT 0, erased_at, NULL, NULL, NULL, NULL, NULL, NULL FROM subjects WHERE id = $subject
        UNION ALL
        SELECT 1, id, action, reason, occurred_at, actor_type, actor_id, NULL FROM restriction_events WHERE subject_id = $subject
        UNION ALL
        SELECT 2, id, purpose_id, action, source, occurred_at, actor_type, actor_id FROM objection_events WHERE subject_id = $subject
        UNION ALL
        SELECT 3, id, purpose_version, state, occurred_at, expires_at, NULL, NULL FROM consent_events WHERE subject_id = $subject AND purpose_id = $purpose
        UNION ALL
        SELECT 4, field, version, key_group, created_at, ciphertext, NULL, NULL FROM field_values AS v
        WHERE subject_id = $subject AND version = (SELECT MAX(w.version) FROM field_values AS w WHERE w.subject_id = v.subject_id AND w.field = v.field)
        UNION ALL
        SELECT 5, key_group, wrapped_key, NULL, NULL, NULL, NULL, NULL FROM data_keys WHERE subject_id = $subject;
        """;

    private const int SubjectRow = 0;
    private const int RestrictionRow = 1;
    private const int ObjectionRow = 2;
    private const int ConsentRow = 3;
    private const int FieldRow = 4;
    private const int KeyRow = 5;

    private ReleaseSnapshot()
    {
    }

    public bool Found { get; private set; }

    public bool Erased { get; private set; }

    /// <summary>Restriction events (Art. 18); usually none.</summary>
    public List<RestrictionEventRecord>? Restrictions { get; private set; }

    /// <summary>Objection events (Art. 21); usually none.</summary>
    public List<ObjectionEventRecord>? Objections { get; private set; }

    /// <summary>The consent events for the purpose, in the order they were recorded (time, then id).</summary>
    public List<ConsentEvent> Consents { get; } = [];

    /// <summary>The names of all stored fields, in name order: the decision names the ones it withholds.</summary>
    public List<string> FieldNames { get; } = new(16);

    /// <summary>The latest version of each stored field the purpose lists: only these may be released.</summary>
    public List<StoredField> ListedFields { get; } = new(8);

    /// <summary>The subject's data keys by key group: from the key cache where it had them, else wrapped as stored.</summary>
    public Dictionary<string, SubjectKey> Keys { get; } = new(2, StringComparer.Ordinal);

    /// <summary>The key cache's eviction stamp from before the statement ran (<see cref="DataKeyCache.EvictionStamp"/>).</summary>
    public long EvictionStamp { get; private set; }

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

    public static ReleaseSnapshot Read(VaultReadConnection connection, string subjectId, CompiledPurpose purpose, DataKeyCache keyCache)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(keyCache);
        var command = connection.Command(Sql, "$subject", "$purpose");
        command.Parameters[0].Value = subjectId;
        command.Parameters[1].Value = purpose.Id;
        var snapshot = new ReleaseSnapshot { EvictionStamp = keyCache.EvictionStamp };
        List<(DateTimeOffset At, string Id, ConsentEvent Event)>? consents = null;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                switch (reader.GetInt32(0))
                {
                    case SubjectRow:
                        snapshot.Found = true;
                        snapshot.Erased = !reader.IsDBNull(1);
                        break;
                    case RestrictionRow:
                        (snapshot.Restrictions ??= []).Add(new RestrictionEventRecord
                        {
                            Id = reader.GetString(1),
                            SubjectId = subjectId,
                            Action = reader.GetString(2),
                            Reason = reader.GetString(3),
                            OccurredAt = StoredInstant.Parse(reader.GetString(4)),
                            ActorType = reader.GetString(5),
                            ActorId = reader.GetString(6),
                        });
                        break;
                    case ObjectionRow:
                        (snapshot.Objections ??= []).Add(new ObjectionEventRecord
                        {
                            Id = reader.GetString(1),
                            SubjectId = subjectId,
                            PurposeId = reader.IsDBNull(2) ? null : reader.GetString(2),
                            Action = reader.GetString(3),
                            Source = reader.GetString(4),
                            OccurredAt = StoredInstant.Parse(reader.GetString(5)),
                            ActorType = reader.GetString(6),
                            ActorId = reader.GetString(7),
                        });
                        break;
                    case ConsentRow:
                        var at = StoredInstant.Parse(reader.GetString(4));
                        var consent = new ConsentEvent(
                            purpose.Id,
                            reader.GetString(2),
                            ConsentStates.Parse(reader.GetString(3)),
                            at,
                            reader.IsDBNull(5) ? null : StoredInstant.Parse(reader.GetString(5)));
                        (consents ??= []).Add((at, reader.GetString(1), consent));
                        break;
                    case FieldRow:
                        var field = reader.GetString(1);
                        snapshot.FieldNames.Add(field);
                        if (purpose.Lists(field))
                        {
                            // Only these can be released, so only their ciphertexts and versions are read.
                            snapshot.ListedFields.Add(new StoredField(
                                field,
                                reader.GetInt32(2),
                                reader.GetString(3),
                                reader.GetString(4),
                                reader.GetFieldValue<byte[]>(5)));
                        }

                        break;
                    case KeyRow:
                        var group = reader.GetString(1);
                        snapshot.Keys[group] = keyCache.TryGet(subjectId, group, out var cached) && cached is not null
                            ? new SubjectKey(cached, null)
                            : new SubjectKey(null, reader.GetFieldValue<byte[]>(2));
                        break;
                    default:
                        throw new InvalidOperationException("Unknown row kind in the consented read.");
                }
            }
        }

        if (consents is not null)
        {
            // Of two events at the same instant the later one wins (ConsentHistory.LatestAt), so keep the recorded order.
            consents.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id));
            foreach (var (_, _, consent) in consents)
            {
                snapshot.Consents.Add(consent);
            }
        }

        snapshot.FieldNames.Sort(StringComparer.Ordinal);
        return snapshot;
    }
}

/// <summary>The latest version of one stored field the purpose lists; <see cref="CreatedAt"/> as stored.</summary>
internal sealed record StoredField(string Name, int Version, string KeyGroup, string CreatedAt, byte[] Ciphertext);

/// <summary>A data key of the subject: already unwrapped (from the cache) or as stored, wrapped.</summary>
internal readonly record struct SubjectKey(DataKey? Unwrapped, byte[]? Wrapped);
