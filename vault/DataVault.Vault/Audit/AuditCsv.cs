using System.Globalization;
using System.Text;

namespace DataVault.Vault.Audit;

/// <summary>
/// The CSV form of audit entries (RFC 4180), shared by the API's export and the officer's desk so
/// both give the same file: one header line, then one line per entry as it is streamed.
/// </summary>
internal static class AuditCsv
{
    public const string Header = "sequence,occurred_at,actor_type,actor_id,action,subject_id,purpose_id,fields,withheld,outcome,trace_id,hash";

    /// <summary>Writes the header and every entry to <paramref name="stream"/> without buffering the whole export.</summary>
    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteLineAsync(Header);
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var r = entry.Record;
            string?[] cells =
            [
                entry.Sequence.ToString(CultureInfo.InvariantCulture), AuditChain.FormatTime(entry.OccurredAt), r.ActorType, r.ActorId, r.Action,
                r.SubjectId, r.PurposeId, r.Fields, r.Withheld, r.Outcome, r.TraceId, Convert.ToHexStringLower(entry.Hash),
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
        }
    }

    /// <summary>RFC 4180 quoting; a leading formula character is neutralised so spreadsheets do not execute it.</summary>
    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var safe = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
