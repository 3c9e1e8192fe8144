using System.Diagnostics;

namespace DataVault.Api.Tests;

/// <summary>The built service (<c>dotnet DataVault.Api.dll</c>) as its own process, for what only a real start shows: exit codes and console output.</summary>
internal static class ServiceProcess
{
    /// <summary>Starts the service with <paramref name="environment"/> on a free loopback port and waits for it to exit; fails the test if it keeps running.</summary>
    public static async Task<(int Code, string Output, string Error)> RunToExitAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DataVault.Api.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The service started instead of refusing: it was still running after two minutes.");
        }

        return (process.ExitCode, await output, await error);
    }
}
