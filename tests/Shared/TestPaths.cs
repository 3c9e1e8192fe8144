namespace DataVault.Testing;

internal static class TestPaths
{
    /// <summary>The repository root: the directory holding DataVault.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Catalogue => Path.Combine(RepositoryRoot, "policies", "catalogue");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DataVault.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DataVault.sln not found above the test binaries.");
    }
}
