using System.Globalization;

namespace DataVault.Policies;

/// <summary>One thing wrong with the catalogue files, located as precisely as the YAML allows.</summary>
/// <param name="FileName">File name within the catalogue directory, e.g. <c>fields.yaml</c>.</param>
/// <param name="Entry">The entry at fault, e.g. <c>fields[3] 'phone'</c>; null for file-level problems.</param>
/// <param name="Line">1-based line of the offending node, when known.</param>
/// <param name="Message">What is wrong, in words an editor of the YAML understands.</param>
internal sealed record CatalogueProblem(string FileName, string? Entry, long? Line, string Message)
{
    public override string ToString()
    {
        var location = Line is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"{FileName}, line {line}")
            : FileName;
        return Entry is null ? $"{location}: {Message}" : $"{location}, {Entry}: {Message}";
    }
}

/// <summary>
/// Collects every problem of a load, so that whoever edits the catalogue sees all mistakes at once instead
/// of fixing them one restart at a time.
/// </summary>
internal sealed class CatalogueProblems
{
    private readonly List<CatalogueProblem> problems = [];

    public int Count => problems.Count;

    public IReadOnlyList<CatalogueProblem> All => problems;

    public void Add(string fileName, string? entry, long? line, string message) =>
        problems.Add(new CatalogueProblem(fileName, entry, line, message));
}
