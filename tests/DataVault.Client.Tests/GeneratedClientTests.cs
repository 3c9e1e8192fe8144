using System.Diagnostics;
using System.Reflection;
using DataVault.Testing;

namespace DataVault.Client.Tests;

/// <summary>
/// The generated client is committed, so it must be what the pinned NSwag makes of the committed
/// openapi.yaml (the same drift rule as openapi.yaml itself), and every operation in it must be
/// exercised by a test in this project.
/// </summary>
public sealed class GeneratedClientTests
{
    private const string GeneratedFile = "clients/DataVault.Client/Generated/DataVaultApiClient.g.cs";
    private const string HowToRegenerate = "Regenerate it and commit the result: npm ci --prefix tools && scripts/generate-client.sh";

    [Fact]
    public async Task GeneratedClient_RegeneratedFromOpenApi_MatchesCommittedFile()
    {
        using var directory = new TempDirectory();
        var regenerated = Path.Combine(directory.Path, "DataVaultApiClient.g.cs");

        var (exitCode, output) = await RunAsync("bash", Path.Combine(TestPaths.RepositoryRoot, "scripts", "generate-client.sh"), regenerated);

        Assert.True(exitCode == 0, $"scripts/generate-client.sh failed ({exitCode}); is NSwag installed (npm ci --prefix tools)?{Environment.NewLine}{output}");
        var committed = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, GeneratedFile));
        var expected = await File.ReadAllTextAsync(regenerated);
        Assert.True(
            committed == expected,
            $"{GeneratedFile} is not what NSwag generates from openapi.yaml (first difference at line {FirstDifferentLine(committed, expected)}). {HowToRegenerate}");
    }

    [Fact]
    public void GeneratedClient_EveryOperation_IsCalledByATest()
    {
        var sources = string.Concat(Directory
            .EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "DataVault.Client.Tests"), "*Tests.cs")
            .Where(f => !f.EndsWith(nameof(GeneratedClientTests) + ".cs", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var operations = typeof(IDataVaultApiClient).GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).Distinct();

        var untested = operations.Where(name => !sources.Contains("." + name + "(", StringComparison.Ordinal)).ToList();

        Assert.True(untested.Count == 0, "Operations of the generated client that no test calls: " + string.Join(", ", untested));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepositoryRoot };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FirstDifferentLine(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        var line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line])
        {
            line++;
        }

        return line + 1;
    }
}
