using System.Net;
using System.Text;
using DataVault.Client;

namespace CrmSync.Follow;

/// <summary>
/// The CSV copy kept in step with the vault: the released subjects in memory, the file rewritten (atomically) after
/// each change. Withdrawn, objected, restricted, erased or destroyed subjects are dropped; rectified ones refetched.
/// </summary>
internal sealed class FollowedCopy
{
    private static readonly HashSet<string> Drops = new(StringComparer.Ordinal)
    {
        ChangeEventTypes.ConsentWithdrawn, ChangeEventTypes.ConsentExpired, ChangeEventTypes.ObjectionRecorded,
        ChangeEventTypes.RestrictionPlaced, ChangeEventTypes.SubjectErased, ChangeEventTypes.DataDestroyed,
    };

    private readonly IDataVaultApiClient _vault;
    private readonly string _purpose;
    private readonly string _path;
    private readonly IReadOnlyList<string> _columns;
    private readonly SortedDictionary<string, string[]> _rows = new(StringComparer.Ordinal);

    private FollowedCopy(IDataVaultApiClient vault, string purpose, string path, IReadOnlyList<string> columns)
    {
        _vault = vault;
        _purpose = purpose;
        _path = Path.GetFullPath(path);
        _columns = columns;
    }

    public int Count => _rows.Count;

    /// <summary>Reads every subject released for the purpose and writes the file.</summary>
    public static async Task<FollowedCopy> LoadAsync(IDataVaultApiClient vault, string purposeId, string path, CancellationToken cancellationToken)
    {
        var purposes = await vault.ListPurposesAsync(cancellationToken);
        var purpose = purposes.Items.FirstOrDefault(p => p.Id == purposeId)
            ?? throw new InvalidOperationException($"DataVault has no purpose '{purposeId}'. Known: {string.Join(", ", purposes.Items.Select(p => p.Id))}.");
        var copy = new FollowedCopy(vault, purposeId, path, [.. purpose.Fields]);
        await foreach (var subject in vault.ListAllSubjectsForPurposeAsync(purposeId, pageSize: 200, cancellationToken: cancellationToken))
        {
            copy._rows[subject.Id] = copy.Cells(subject);
        }

        await copy.WriteAsync(cancellationToken);
        return copy;
    }

    /// <summary>Applies one change (idempotent: applying it twice changes nothing) and rewrites the file if it changed the copy.</summary>
    public async Task ApplyAsync(ChangeEventResponse change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.SubjectId is not { } subjectId || !Concerns(change))
        {
            return;
        }

        var before = _rows.TryGetValue(subjectId, out var row) ? row : null;
        if (Drops.Contains(change.Type))
        {
            _rows.Remove(subjectId);
        }
        else
        {
            await RefetchAsync(subjectId, cancellationToken);
        }

        var after = _rows.GetValueOrDefault(subjectId);
        if (!ReferenceEquals(before, after))
        {
            await WriteAsync(cancellationToken);
        }
    }

    // Erasure and destruction end every purpose; a change to all processing too; otherwise only ours matters.
    private bool Concerns(ChangeEventResponse change) =>
        change.Type is ChangeEventTypes.SubjectErased or ChangeEventTypes.DataDestroyed
        || change.Purposes.Contains(_purpose, StringComparer.Ordinal)
        || (change.Data is { } data && data.TryGetValue("scope", out var scope) && scope == "all");

    private async Task RefetchAsync(string subjectId, CancellationToken cancellationToken)
    {
        try
        {
            _rows[subjectId] = Cells(await _vault.GetSubjectForPurposeAsync(subjectId, _purpose, cancellationToken));
        }
        catch (DataVaultProblemException problem) when (problem.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // No longer released for the purpose (or gone): the copy must not keep it.
            _rows.Remove(subjectId);
        }
    }

    private string[] Cells(ReleasedSubjectResponse subject) =>
        [.. _columns.Select(field => subject.Fields.TryGetValue(field, out var value) ? value.GetText() : string.Empty)];

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        // Written beside the target and moved into place: a reader never sees half a file.
        var partial = _path + ".partial";
        await using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            await CsvFormat.WriteRowAsync(writer, ["subject_id", .. _columns]);
            foreach (var (id, cells) in _rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await CsvFormat.WriteRowAsync(writer, [id, .. cells]);
            }
        }

        File.Move(partial, _path, overwrite: true);
    }
}
