using DataVault.Vault.Audit;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Consents;

/// <summary>Where an objection (GDPR Art. 21) came from.</summary>
public static class ChoiceSources
{
    /// <summary>A client recorded it through the API.</summary>
    public const string Api = "api";

    /// <summary>The subject, in the privacy portal.</summary>
    public const string Portal = "portal";

    /// <summary>A Global Privacy Control signal (<c>Sec-GPC: 1</c>) from the subject's browser.</summary>
    public const string Gpc = "gpc";

    public const string Import = "import";

    /// <summary>A compliance officer, at the desk.</summary>
    public const string Desk = "desk";
}

/// <summary>An objection or restriction event still in force: who recorded it (actor type and id), and through what.</summary>
internal readonly record struct ChoiceInForce(string ActorType, string ActorId, string? Source);

/// <summary>
/// Who may lift a restriction (GDPR Art. 18) or an objection (Art. 21). Clients relay the subject's
/// instructions, so a client may lift what it recorded itself; it may not undo what another system recorded on
/// the subject's behalf (it cannot know the subject's instruction to that system), nor what the subject decided
/// themself (in the portal, or through their browser's Global Privacy Control signal) or what a
/// compliance officer decided: only the subject or an officer lifts those. An objection to direct
/// marketing no client lifts at all, whoever recorded it (Art. 21(3): the data "shall no longer be
/// processed for such purposes"). The subject and officers may lift anything.
/// </summary>
internal static class ChoiceLifts
{
    /// <summary>The action of an event that ends a restriction or an objection.</summary>
    public const string Lifted = "lifted";

    /// <summary>
    /// Why <paramref name="lifter"/> may not lift a choice whose events in force are <paramref name="inForce"/>
    /// (the events since it was last lifted), or null when it may.
    /// </summary>
    /// <param name="lifter">Who asks to lift it.</param>
    /// <param name="inForce">The events of the choice in force; empty when there is nothing to lift.</param>
    /// <param name="directMarketing">Whether it is an objection to a purpose the catalogue marks as direct marketing.</param>
    public static string? Refusal(Actor lifter, IReadOnlyCollection<ChoiceInForce> inForce, bool directMarketing)
    {
        ArgumentNullException.ThrowIfNull(lifter);
        ArgumentNullException.ThrowIfNull(inForce);
        if (!lifter.IsClient || inForce.Count == 0)
        {
            return null;
        }

        if (directMarketing)
        {
            return "An objection to direct marketing (GDPR Art. 21(3)) cannot be lifted by a client: only the data subject, in the privacy portal, or a compliance officer can lift it.";
        }

        if (inForce.Any(e => e.ActorType != Actor.ClientType || e.Source is ChoiceSources.Portal or ChoiceSources.Gpc or ChoiceSources.Desk))
        {
            return "The data subject or a compliance officer made this choice, so only the subject (in the privacy portal) or a compliance officer can lift it.";
        }

        return inForce.Any(e => e.ActorId != lifter.Id)
            ? "Another system recorded this choice on the subject's behalf, so only that system, the subject (in the privacy portal) or a compliance officer can lift it."
            : null;
    }

    /// <summary>
    /// The events of one choice in force, read in the writer's transaction: those after its latest lift.
    /// <paramref name="sql"/> selects action, actor type, actor id and source (or NULL), oldest first.
    /// </summary>
    public static List<ChoiceInForce> InForce(VaultWriteContext context, string sql, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(context);
        var events = new List<(string Action, ChoiceInForce Event)>();
        using (var reader = context.Query(sql, values))
        {
            while (reader.Read())
            {
                events.Add((reader.GetString(0), new ChoiceInForce(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))));
            }
        }

        return InForce(events);
    }

    /// <summary>The restriction events in force (those after the latest lift).</summary>
    public static List<ChoiceInForce> InForce(IEnumerable<RestrictionEventRecord> restrictions) =>
        InForce(restrictions
            .OrderBy(r => r.OccurredAt).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => (r.Action, new ChoiceInForce(r.ActorType, r.ActorId, null))));

    /// <summary>Of one choice's events, oldest first, those after its latest lift.</summary>
    private static List<ChoiceInForce> InForce(IEnumerable<(string Action, ChoiceInForce Event)> events)
    {
        var inForce = new List<ChoiceInForce>();
        foreach (var (action, recorded) in events)
        {
            if (action == Lifted)
            {
                inForce.Clear();
            }
            else
            {
                inForce.Add(recorded);
            }
        }

        return inForce;
    }
}
