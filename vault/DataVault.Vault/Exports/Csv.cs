namespace DataVault.Vault.Exports;

/// <summary>RFC 4180 CSV that is safe to open in a spreadsheet: the audit export and the customer's own export both write it.</summary>
public static class Csv
{
    /// <summary>Writes one record; RFC 4180 ends every record with CRLF.</summary>
    public static async Task WriteRowAsync(TextWriter writer, CancellationToken cancellationToken, params IEnumerable<string?> cells)
    {
        await writer.WriteAsync(string.Join(',', cells.Select(Cell)).AsMemory(), cancellationToken);
        await writer.WriteAsync("\r\n".AsMemory(), cancellationToken);
    }

    /// <summary>
    /// One field. A value a spreadsheet would run as a formula (leading <c>= + - @</c>, or tab or
    /// carriage return; OWASP "CSV Injection") is prefixed with <c>'</c>, so "=HYPERLINK(...)" reads as
    /// text. Fields holding a comma, quote or line break are quoted, with quotes doubled.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var safe = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
