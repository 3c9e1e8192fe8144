namespace DataVault.Policies;

/// <summary>
/// The catalogue files are missing, malformed or inconsistent. The message lists every problem found, one per
/// line, each naming the file, the line where known, the entry and what is wrong; <see cref="FileName"/> and
/// <see cref="Entry"/> locate the first one. The host refuses to start with a broken catalogue: processing
/// under a half-understood purpose definition would break GDPR Art. 5(1)(b) purpose limitation.
/// </summary>
public sealed class PolicyCatalogueException : Exception
{
    internal PolicyCatalogueException(IReadOnlyList<CatalogueProblem> problems)
        : base(string.Join('\n', problems))
    {
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        Problems = problems;
        FileName = problems[0].FileName;
        Entry = problems[0].Entry;
    }

    /// <summary>File of the first problem, e.g. <c>purposes.yaml</c>.</summary>
    public string FileName { get; }

    /// <summary>Entry of the first problem, e.g. <c>purposes[1] 'marketing-email'</c>; null for file-level problems.</summary>
    public string? Entry { get; }

    internal IReadOnlyList<CatalogueProblem> Problems { get; }
}
