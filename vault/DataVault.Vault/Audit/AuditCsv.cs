using System.Globalization;
using System.Text;
using DataVault.Vault.Exports;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Audit;

/// <summary>
/// The CSV form of audit entries (RFC 4180), shared by the API's export and the officer's desk so
/// both give the same file: one header line, then one line per entry as it is streamed.
/// </summary>
public static class AuditCsv
{
    /// <summary>The columns; the person a client acted for, then the request an action was taken for, came last, after the columns of earlier exports.</summary>
    public const string Header = "sequence,occurred_at,actor_type,actor_id,action,subject_id,purpose_id,fields,withheld,outcome,trace_id,hash,on_behalf_of,request_id";

    /// <summary>Writes the header and every entry to <paramref name="stream"/> without buffering the whole export.</summary>
    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        await Csv.WriteRowAsync(writer, cancellationToken, Header.Split(','));
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var r = entry.Record;
            await Csv.WriteRowAsync(
                writer,
                cancellationToken,
                entry.Sequence.ToString(CultureInfo.InvariantCulture), StoredInstant.Format(entry.OccurredAt), r.ActorType, r.ActorId, r.Action,
                r.SubjectId, r.PurposeId, r.Fields, r.Withheld, r.Outcome, r.TraceId, Convert.ToHexStringLower(entry.Hash), r.OnBehalfOf, r.RequestId);
        }
    }
}
