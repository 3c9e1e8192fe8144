using DataVault.Client;

namespace CrmSync.Follow;

/// <summary><c>--follow</c>: export, then apply every change from the feed as it comes and acknowledge it (Art. 19).</summary>
internal static class FeedFollower
{
    public static async Task RunAsync(IDataVaultApiClient vault, string purpose, string path, Action<ChangeEventResponse> applied, CancellationToken cancellationToken)
    {
        // Where the feed stands before the export: changes after it are applied again on top, which is harmless.
        string? cursor = null;
        await foreach (var item in vault.ReadAllChangesAsync(cancellationToken: cancellationToken))
        {
            cursor = item.Cursor;
        }

        var copy = await FollowedCopy.LoadAsync(vault, purpose, path, cancellationToken);
        await foreach (var item in vault.ReadAllChangesAsync(cursor, follow: true, cancellationToken: cancellationToken))
        {
            await copy.ApplyAsync(item.Change, cancellationToken);

            // Acknowledged only once applied: the vault's record of who has heard stays true.
            await vault.AcknowledgeChangesAsync(new AcknowledgeChangesRequest { EventIds = [item.Change.Id] }, cancellationToken);
            applied(item.Change);
        }
    }
}
