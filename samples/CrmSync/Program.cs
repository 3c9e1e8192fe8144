using DataVault.Client;

namespace CrmSync;

/// <summary>
/// CrmSync: pulls every subject released for one purpose into a CSV, with only the released fields.
/// A CRM team copies this program; everything DataVault-specific goes through DataVault.Client.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!SyncArguments.TryParse(args, Environment.GetEnvironmentVariable, out var arguments, out var usageError))
        {
            await Console.Error.WriteLineAsync(usageError);
            await Console.Error.WriteLineAsync(SyncArguments.Usage);
            return 64;
        }

        var options = new DataVaultClientOptions
        {
            BaseAddress = arguments.BaseUrl,
            ClientId = arguments.ClientId,
            ClientSecret = arguments.ClientSecret,

            // Least privilege: reading released subjects is all this program does.
            Scopes = { "subjects.read" },
        };

        try
        {
            using var vault = DataVaultClientFactory.Create(options);
            var count = await ReleasedSubjectsExport.WriteAsync(vault, arguments.Purpose, arguments.Output, CancellationToken.None);
            Console.WriteLine($"Exported {count} subject(s) released for '{arguments.Purpose}' to {arguments.Output}.");
            return 0;
        }
        catch (DataVaultTokenException exception)
        {
            await Console.Error.WriteLineAsync($"Sign-in to DataVault failed ({exception.Error}): {exception.Detail} Check the client id and secret.");
            return 2;
        }
        catch (DataVaultProblemException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 1;
        }
        catch (HttpRequestException exception)
        {
            await Console.Error.WriteLineAsync($"DataVault at {arguments.BaseUrl} cannot be reached: {exception.Message}");
            return 1;
        }
        catch (InvalidOperationException exception)
        {
            // Invalid options (e.g. plain http to a remote host) or an unknown purpose.
            await Console.Error.WriteLineAsync(exception.Message);
            return 1;
        }
    }
}
