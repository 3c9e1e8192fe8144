using System.Buffers;
using System.Runtime.InteropServices;

namespace DataVault.Policies.Decisions;

/// <summary>
/// The core rule of consent-filtered reads (ARCHITECTURE.md, "Consent-filtered reads"): which of a subject's stored
/// fields may be released for one purpose. Pure: no storage, no clock, no I/O; the caller has already checked that the
/// client may use the purpose, and audits the decision.
/// </summary>
/// <remarks>
/// <para>Rules, in order of precedence; the first that applies gives the reason:</para>
/// <list type="number">
/// <item>erased (GDPR Art. 17): every stored field is withheld <see cref="WithheldReason.Erased"/>, including data kept
/// under a legal hold (Art. 17(3)(b) allows keeping it, not releasing it to integrations);</item>
/// <item>restricted (Art. 18): every stored field is withheld <see cref="WithheldReason.Restricted"/>;</item>
/// <item>a stored field the purpose does not list is withheld <see cref="WithheldReason.NotInPurpose"/> whatever the
/// lawful basis and consent say (Art. 5(1)(b)–(c));</item>
/// <item>the lawful basis (Art. 6(1)) decides the fields the purpose lists:
/// consent (a): an objection to the purpose or to all processing withholds them <see cref="WithheldReason.Objected"/>;
/// otherwise only <see cref="EffectiveConsent.Given"/> at the instant releases them, an expired consent gives
/// <see cref="WithheldReason.Expired"/>, and none, refused, withdrawn or an outdated version
/// <see cref="WithheldReason.NoConsent"/>;
/// contract (b), legal obligation (c), vital interests (d): released, objections do not apply (Art. 21(1) covers only
/// processing based on (e) or (f));
/// public task (e), legitimate interests (f): released unless objected (Art. 21(1)), then
/// <see cref="WithheldReason.Objected"/>.</item>
/// </list>
/// <para>
/// Objection on a consent basis: Art. 21(1) does not name (a), but Art. 21(2)–(3) (direct marketing) and a Global
/// Privacy Control signal on a sale or sharing purpose must block regardless, and an objection expresses the same
/// will as a withdrawal (Art. 7(3)). The engine cannot tell direct marketing apart, so it takes the safer reading:
/// an objection withholds every consent purpose it names. When consent is also missing, the objection is the
/// reason reported: it is the standing instruction, and collecting consent again would not lift it.
/// </para>
/// <para>
/// Objections on (e) and (f): Art. 21(1) lets the controller go on if it demonstrates compelling legitimate grounds.
/// That is a case-by-case assessment the engine cannot make, so an objection always withholds.
/// </para>
/// <para>A lawful basis value this code does not know fails closed (<see cref="WithheldReason.NoConsent"/>).</para>
/// </remarks>
public static class ReleasePolicy
{
    /// <summary>Purposes with at most this many fields mark stored fields on the stack.</summary>
    private const int StackMarks = 64;

    /// <summary>
    /// Decides which of <paramref name="storedFields"/> are released for <paramref name="purpose"/> at
    /// <paramref name="now"/>. For many subjects, compile the purpose once and use the <see cref="CompiledPurpose"/>
    /// overload; this one searches the purpose's fields linearly, which is as fast for the catalogue's small purposes.
    /// </summary>
    /// <param name="purpose">The purpose the client reads for.</param>
    /// <param name="subject">Restriction, erasure and objections of the subject.</param>
    /// <param name="consentEvents">The subject's consent events, any purpose, any order (only used for a consent basis).</param>
    /// <param name="storedFields">Names of the fields the subject has a value for. Only these are considered: a field without a value is neither released nor withheld. Duplicates are reported once.</param>
    /// <param name="now">The instant of the read. A withdrawal at exactly this instant already withholds (Art. 7(3)).</param>
    public static ReleaseDecision Decide(
        PurposeDefinition purpose,
        SubjectPolicyState subject,
        IReadOnlyList<ConsentEvent> consentEvents,
        IReadOnlyCollection<string> storedFields,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(purpose.Id, nameof(purpose));
        ArgumentNullException.ThrowIfNull(purpose.Version, nameof(purpose));
        ArgumentNullException.ThrowIfNull(purpose.Fields, nameof(purpose));
        return Decide(
            new PurposeFields(null, purpose.Fields),
            purpose.Id,
            purpose.Version,
            purpose.LawfulBasis,
            subject,
            consentEvents,
            storedFields,
            now);
    }

    /// <summary>
    /// As <see cref="Decide(PurposeDefinition, SubjectPolicyState, IReadOnlyList{ConsentEvent}, IReadOnlyCollection{string}, DateTimeOffset)"/>,
    /// with the purpose's field lookups prepared once: the overload for bulk exports.
    /// </summary>
    public static ReleaseDecision Decide(
        CompiledPurpose purpose,
        SubjectPolicyState subject,
        IReadOnlyList<ConsentEvent> consentEvents,
        IReadOnlyCollection<string> storedFields,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return Decide(
            new PurposeFields(purpose, null),
            purpose.Id,
            purpose.Version,
            purpose.LawfulBasis,
            subject,
            consentEvents,
            storedFields,
            now);
    }

    private static ReleaseDecision Decide(
        PurposeFields fields,
        string purposeId,
        string purposeVersion,
        LawfulBasis basis,
        SubjectPolicyState subject,
        IReadOnlyList<ConsentEvent> consentEvents,
        IReadOnlyCollection<string> storedFields,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(subject.ObjectedPurposes, nameof(subject));
        ArgumentNullException.ThrowIfNull(consentEvents);
        ArgumentNullException.ThrowIfNull(storedFields);

        var reason = ReasonToWithhold(purposeId, purposeVersion, basis, subject, consentEvents, now);
        var otherReason = subject.Erased ? WithheldReason.Erased
            : subject.Restricted ? WithheldReason.Restricted
            : WithheldReason.NotInPurpose;

        string[]? rented = null;
        try
        {
            var names = AsSpan(storedFields, ref rented);
            var fieldCount = fields.Count;
            var marks = fieldCount <= StackMarks ? stackalloc bool[StackMarks] : new bool[fieldCount];
            marks = marks[..fieldCount];

            // Pass 1: mark the purpose's fields that are stored, count the others.
            var listed = 0;
            var others = 0;
            foreach (var name in names)
            {
                if (name is null)
                {
                    throw new ArgumentException("The stored field names contain a null entry.", nameof(storedFields));
                }

                var index = fields.IndexOf(name);
                if (index < 0)
                {
                    others++;
                }
                else if (!marks[index])
                {
                    marks[index] = true;
                    listed++;
                }
            }

            string[] released;
            WithheldField[] withheld;
            if (reason is null)
            {
                released = listed == 0 ? [] : new string[listed];
                withheld = others == 0 ? [] : new WithheldField[others];
            }
            else
            {
                released = [];
                withheld = listed + others == 0 ? [] : new WithheldField[listed + others];
            }

            // The purpose's fields, in the purpose's order.
            var releasedCount = 0;
            var withheldCount = 0;
            for (var i = 0; i < fieldCount; i++)
            {
                if (!marks[i])
                {
                    continue;
                }

                if (reason is { } withheldReason)
                {
                    withheld[withheldCount++] = new WithheldField(fields[i], withheldReason);
                }
                else
                {
                    released[releasedCount++] = fields[i];
                }
            }

            // Pass 2: the stored fields the purpose does not list, in the order given, each once.
            if (others > 0)
            {
                var firstOther = withheldCount;
                var mayRepeat = storedFields is not (IReadOnlySet<string> or ISet<string>);
                foreach (var name in names)
                {
                    if (fields.IndexOf(name) < 0
                        && !(mayRepeat && Contains(withheld.AsSpan(firstOther, withheldCount - firstOther), name)))
                    {
                        withheld[withheldCount++] = new WithheldField(name, otherReason);
                    }
                }

                if (withheldCount < withheld.Length)
                {
                    Array.Resize(ref withheld, withheldCount);
                }
            }

            return new ReleaseDecision(purposeId, released, withheld, reason);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<string>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>Why the purpose's fields are withheld for this subject, or null when they are released.</summary>
    private static WithheldReason? ReasonToWithhold(
        string purposeId,
        string purposeVersion,
        LawfulBasis basis,
        SubjectPolicyState subject,
        IReadOnlyList<ConsentEvent> consentEvents,
        DateTimeOffset now)
    {
        if (subject.Erased)
        {
            return WithheldReason.Erased;
        }

        if (subject.Restricted)
        {
            return WithheldReason.Restricted;
        }

        switch (basis)
        {
            case LawfulBasis.Contract:
            case LawfulBasis.LegalObligation:
            case LawfulBasis.VitalInterests:
                // Art. 21(1) gives a right to object only to processing based on Art. 6(1)(e) or (f).
                return null;
            case LawfulBasis.PublicTask:
            case LawfulBasis.LegitimateInterests:
                return Objected(purposeId, subject) ? WithheldReason.Objected : null;
            case LawfulBasis.Consent:
                if (Objected(purposeId, subject))
                {
                    return WithheldReason.Objected;
                }

                var latest = ConsentHistory.LatestAt(consentEvents, purposeId, now);
                return ConsentHistory.Classify(latest, purposeVersion, now) switch
                {
                    EffectiveConsent.Given => null,
                    EffectiveConsent.Expired => WithheldReason.Expired,
                    _ => WithheldReason.NoConsent,
                };
            default:
                // A basis added to the enum but not to this rule: fail closed.
                return WithheldReason.NoConsent;
        }
    }

    private static bool Objected(string purposeId, SubjectPolicyState subject) =>
        subject.ObjectsToAll || subject.ObjectedPurposes.Contains(purposeId);

    private static bool Contains(ReadOnlySpan<WithheldField> withheld, string name)
    {
        foreach (var field in withheld)
        {
            if (string.Equals(field.Field, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The stored names as a span: arrays and lists directly, other collections copied into a pooled array.</summary>
    private static ReadOnlySpan<string> AsSpan(IReadOnlyCollection<string> storedFields, ref string[]? rented)
    {
        switch (storedFields)
        {
            case string[] array:
                return array;
            case List<string> list:
                return CollectionsMarshal.AsSpan(list);
            case ICollection<string> collection:
                // HashSet, FrozenSet, ReadOnlyCollection, ImmutableArray…: CopyTo needs no enumerator.
                rented = ArrayPool<string>.Shared.Rent(collection.Count);
                collection.CopyTo(rented, 0);
                return rented.AsSpan(0, collection.Count);
            default:
                var count = storedFields.Count;
                rented = ArrayPool<string>.Shared.Rent(count);
                var copied = 0;
                foreach (var name in storedFields)
                {
                    if (copied == count)
                    {
                        throw new InvalidOperationException("The stored field collection yielded more names than its Count.");
                    }

                    rented[copied++] = name;
                }

                return rented.AsSpan(0, copied);
        }
    }

    /// <summary>The purpose's fields, looked up through a <see cref="CompiledPurpose"/> or searched linearly.</summary>
    private readonly struct PurposeFields(CompiledPurpose? compiled, IReadOnlyList<string>? list)
    {
        public int Count => compiled?.FieldCount ?? list!.Count;

        public string this[int index] => compiled is not null ? compiled.FieldAt(index) : list![index];

        /// <summary>The first position of <paramref name="name"/>, or -1; a field listed twice is thus released once.</summary>
        public int IndexOf(string name)
        {
            if (compiled is not null)
            {
                return compiled.IndexOf(name);
            }

            for (var i = 0; i < list!.Count; i++)
            {
                if (string.Equals(list[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
