using System.Runtime.CompilerServices;

namespace DataVault.Client;

/// <summary>The cursor-paginated operations as <see cref="IAsyncEnumerable{T}"/>: pages are fetched as the caller reads.</summary>
public static class DataVaultPaging
{
    /// <summary>
    /// Every subject released for <paramref name="purposeId"/>, with only its released fields,
    /// page by page through <see cref="IDataVaultApiClient.ListSubjectsForPurposeAsync"/>.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="purposeId">The purpose, e.g. <c>marketing-email</c>.</param>
    /// <param name="pageSize">Subjects per request (service default 100).</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public static async IAsyncEnumerable<ReleasedSubjectResponse> ListAllSubjectsForPurposeAsync(
        this IDataVaultApiClient client,
        string purposeId,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        string? cursor = null;
        do
        {
            // Checked here too: a caller that cancels between items gets no further request.
            cancellationToken.ThrowIfCancellationRequested();
            var page = await client.ListSubjectsForPurposeAsync(purposeId, cursor, pageSize, cancellationToken);
            foreach (var subject in page.Items)
            {
                yield return subject;
            }

            // A page may hold fewer items than asked (even none) while more follow: only the cursor ends it.
            cursor = NextOrThrow(cursor, page.NextCursor);
        }
        while (cursor is not null);
    }

    /// <summary>
    /// Every audit entry matching the filters, newest first, page by page through
    /// <see cref="IDataVaultApiClient.SearchAuditAsync"/> (scope <c>audit.read</c>).
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="subject">Only entries about this subject id.</param>
    /// <param name="actor">Only entries by this actor id.</param>
    /// <param name="purpose">Only entries stating this purpose.</param>
    /// <param name="action">Only entries with this action code, e.g. <c>subject.read</c>.</param>
    /// <param name="from">Only entries at or after this instant.</param>
    /// <param name="to">Only entries before this instant.</param>
    /// <param name="pageSize">Entries per request (service default 100).</param>
    /// <param name="request">Only entries made for this data-subject request.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public static async IAsyncEnumerable<AuditEntryResponse> SearchAllAuditAsync(
        this IDataVaultApiClient client,
        string? subject = null,
        string? actor = null,
        string? purpose = null,
        string? action = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        int? pageSize = null,
        string? request = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        long? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await client.SearchAuditAsync(subject, actor, purpose, action, from, to, cursor, pageSize, request, cancellationToken);
            foreach (var entry in page.Items)
            {
                yield return entry;
            }

            cursor = NextOrThrow(cursor, page.NextCursor);
        }
        while (cursor is not null);
    }

    /// <summary>A cursor that does not move would loop forever; fail instead.</summary>
    private static T? NextOrThrow<T>(T? current, T? next) =>
        next is not null && EqualityComparer<T?>.Default.Equals(current, next)
            ? throw new InvalidOperationException("The service returned the same cursor twice; paging stopped.")
            : next;
}
