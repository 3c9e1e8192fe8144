using Microsoft.Data.Sqlite;

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

/// <summary>A fresh directory under the system temp directory, deleted (with its SQLite files) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "datavault-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        // Pooled connections keep the database file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task is left to the OS temp cleaner.
        }
    }
}
