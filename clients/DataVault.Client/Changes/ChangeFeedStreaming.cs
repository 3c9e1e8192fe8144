using System.Runtime.CompilerServices;

namespace DataVault.Client;

/// <summary>An event read from the change feed, and where to resume so as to miss nothing after it.</summary>
/// <param name="Change">The change.</param>
/// <param name="Cursor">
/// Store it once the change is applied and pass it as <c>after</c> to resume. It never skips an event; it may
/// repeat the rest of a page, so deduplicate by <see cref="ChangeEventResponse.Id"/>.
/// </param>
public sealed record ChangeFeedItem(ChangeEventResponse Change, string? Cursor);

/// <summary>The change feed (<c>GET /api/v1/changes</c>, scope <c>changes.read</c>) as <see cref="IAsyncEnumerable{T}"/>.</summary>
public static class ChangeFeedStreaming
{
    /// <summary>Longest long-poll the service allows.</summary>
    public const int MaxWaitSeconds = 30;

    /// <summary>
    /// The client's changes in feed order from <paramref name="after"/>, following the cursor. With
    /// <paramref name="follow"/> it never ends: an empty page long-polls (<c>wait=</c>) for the next change until
    /// <paramref name="cancellationToken"/> stops it. Without, it ends at the first empty page (caught up).
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="after">The cursor to resume from; null for the start of the feed.</param>
    /// <param name="follow">Keep waiting for new changes instead of ending when caught up.</param>
    /// <param name="waitSeconds">Long-poll length while following, 1 to <see cref="MaxWaitSeconds"/>.</param>
    /// <param name="pageSize">Events per request (service default 100).</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public static async IAsyncEnumerable<ChangeFeedItem> ReadAllChangesAsync(
        this IDataVaultApiClient client,
        string? after = null,
        bool follow = false,
        int waitSeconds = MaxWaitSeconds,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(waitSeconds, MaxWaitSeconds);
        var cursor = after;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ChangeFeedResponse page;
            try
            {
                page = await client.ReadChangesAsync(cursor, pageSize, follow ? waitSeconds : null, cancellationToken);
            }
            catch (HttpRequestException exception) when (cancellationToken.IsCancellationRequested)
            {
                // Some handlers report a long-poll cut short by the caller as a broken response: it is a cancellation.
                throw new OperationCanceledException("The change feed was stopped.", exception, cancellationToken);
            }

            if (page.Events.Count == 0)
            {
                if (!follow)
                {
                    yield break;
                }

                cursor = page.Next;
                continue;
            }

            for (var i = 0; i < page.Events.Count; i++)
            {
                // Only past the page's last event is its Next safe: resuming mid-page re-reads the page.
                yield return new ChangeFeedItem(page.Events[i], i == page.Events.Count - 1 ? page.Next : cursor);
            }

            cursor = page.Next;
        }
    }
}
