using System.Text;
using DataVault.Client;

namespace CrmSync;

/// <summary>Writes the subjects released for a purpose as CSV: a subject id column, then one column per field of the purpose.</summary>
internal static class ReleasedSubjectsExport
{
    public static async Task<int> WriteAsync(IDataVaultApiClient vault, string purposeId, string path, CancellationToken cancellationToken)
    {
        // The columns are the purpose's fields as the catalogue lists them, so every file for a purpose has the same header.
        var purposes = await vault.ListPurposesAsync(cancellationToken);
        var purpose = purposes.Items.FirstOrDefault(p => p.Id == purposeId)
            ?? throw new InvalidOperationException($"DataVault has no purpose '{purposeId}'. Known: {string.Join(", ", purposes.Items.Select(p => p.Id))}.");
        var columns = purpose.Fields.ToList();

        // Written beside the target and moved into place at the end: a failed run never leaves half a file.
        var fullPath = Path.GetFullPath(path);
        var partial = fullPath + ".partial";
        var count = 0;
        await using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            await CsvFormat.WriteRowAsync(writer, ["subject_id", .. columns]);
            await foreach (var subject in vault.ListAllSubjectsForPurposeAsync(purposeId, pageSize: 200, cancellationToken: cancellationToken))
            {
                // Only released fields have values; a field the subject has no value for stays empty.
                var cells = columns.Select(field => subject.Fields.TryGetValue(field, out var value) ? value.GetText() : string.Empty);
                await CsvFormat.WriteRowAsync(writer, [subject.Id, .. cells]);
                count++;
            }
        }

        File.Move(partial, fullPath, overwrite: true);
        return count;
    }
}
