using CrmSync.Follow;
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

            // Least privilege: reading released subjects, and the change feed when following it.
            Scopes = { "subjects.read" },
        };
        if (arguments.Follow)
        {
            options.Scopes.Add("changes.read");
        }

        try
        {
            using var vault = DataVaultClientFactory.Create(options);
            if (arguments.Follow)
            {
                using var stopping = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    stopping.Cancel();
                };
                Console.WriteLine($"Following changes for '{arguments.Purpose}' into {arguments.Output}; Ctrl+C stops.");
                await FeedFollower.RunAsync(vault, arguments.Purpose, arguments.Output, change => Console.WriteLine($"Applied {change.Type} {change.Id}."), stopping.Token);
                return 0;
            }

            var count = await ReleasedSubjectsExport.WriteAsync(vault, arguments.Purpose, arguments.Output, CancellationToken.None);
            Console.WriteLine($"Exported {count} subject(s) released for '{arguments.Purpose}' to {arguments.Output}.");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopped.");
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
