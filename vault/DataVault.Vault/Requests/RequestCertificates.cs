using DataVault.Vault.Storage;

namespace DataVault.Vault.Requests;

/// <summary>A client told of a change made for a request (its change feed carried the event), and when it was routed to it.</summary>
public sealed record RequestRecipientTold(string ClientId, string ChangeType, DateTimeOffset RoutedAt);

/// <summary>
/// What a request's completion certificate states (GDPR Art. 5(2), 12(3) and 19): the request as it was answered,
/// what was done for it and by whom (its history, without the officers' free-text notes), and which recipients were
/// told of the changes made for it.
/// </summary>
public sealed record RequestCertificateContent(RequestView Request, IReadOnlyList<RequestEventView> Steps, IReadOnlyList<RequestRecipientTold> RecipientsTold);

/// <summary>The content of completion certificates, read from the request, its history and the change routing.</summary>
public sealed class RequestCertificates
{
    private readonly RequestService requests;
    private readonly VaultReadConnections reads;

    internal RequestCertificates(RequestService requests, VaultReadConnections reads)
    {
        this.requests = requests;
        this.reads = reads;
    }

    /// <summary>The certificate's content; null for no such request. Only a closed request (answered, refused or withdrawn) has one.</summary>
    public async Task<(RequestCertificateContent? Content, bool Open)> ReadAsync(string requestId, CancellationToken cancellationToken)
    {
        if (await requests.GetAsync(requestId, cancellationToken) is not { } detail)
        {
            return (null, false);
        }

        if (RequestStatuses.IsOpen(detail.Request.Status))
        {
            return (null, true);
        }

        var told = new List<RequestRecipientTold>();
        using (var connection = reads.Rent())
        {
            var command = connection.Command(
                """
                SELECT r.client_id, e.type, MIN(r.routed_at) FROM change_recipients r JOIN change_events e ON e.sequence = r.sequence
                WHERE e.request_id = $request GROUP BY r.client_id, e.type ORDER BY r.client_id, e.type;
                """,
                "$request");
            command.Parameters[0].Value = requestId;
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                told.Add(new RequestRecipientTold(reader.GetString(0), reader.GetString(1), StoredInstant.Parse(reader.GetString(2))));
            }
        }

        var steps = detail.History.Where(e => e.Kind != RequestEventKinds.Note).Select(e => e with { Note = null }).ToList();
        return (new RequestCertificateContent(detail.Request, steps, told), false);
    }
}
