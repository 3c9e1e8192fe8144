using System.Collections.Frozen;
using System.Text;
using DataVault.Policies.Decisions;

namespace DataVault.Vault.Audit;

/// <summary>
/// How an audit entry names the fields withheld from a read (<see cref="AuditRecord.Withheld"/>): <c>field:reason</c>
/// pairs joined by commas, each reason by its code on the wire (<c>no-consent</c>, <c>not-in-purpose</c>, …). Names
/// and reasons only, never a value. The reads write it; the customer's access log and the officer's desk read it back.
/// </summary>
public static class WithheldFields
{
    private static readonly FrozenDictionary<WithheldReason, string> Codes = new Dictionary<WithheldReason, string>
    {
        [WithheldReason.NoConsent] = "no-consent",
        [WithheldReason.Expired] = "expired",
        [WithheldReason.NotInPurpose] = "not-in-purpose",
        [WithheldReason.Restricted] = "restricted",
        [WithheldReason.Objected] = "objected",
        [WithheldReason.Erased] = "erased",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, WithheldReason> Reasons =
        Codes.ToFrozenDictionary(code => code.Value, code => code.Key, StringComparer.Ordinal);

    /// <summary>The entry's text for <paramref name="withheld"/>; null when nothing was withheld.</summary>
    public static string? Format(IReadOnlyList<WithheldField> withheld)
    {
        ArgumentNullException.ThrowIfNull(withheld);
        if (withheld.Count == 0)
        {
            return null;
        }

        // Every audited read builds this, so it is built in one buffer rather than a string per field.
        var text = new StringBuilder(withheld.Count * 24);
        foreach (var field in withheld)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(field.Field).Append(':').Append(Codes[field.Reason]);
        }

        return text.ToString();
    }

    /// <summary>The fields an entry's text names, in its order; a pair that is not of this form is passed over.</summary>
    public static IEnumerable<WithheldField> Parse(string? withheld) =>
        string.IsNullOrEmpty(withheld)
            ? []
            : withheld.Split(',')
                .Select(pair => pair.Split(':'))
                .Where(parts => parts.Length == 2 && Reasons.ContainsKey(parts[1]))
                .Select(parts => new WithheldField(parts[0], Reasons[parts[1]]));
}
