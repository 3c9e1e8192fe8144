using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Endpoints;

/// <summary>The recipient ledger for officers: who received a subject's data (GDPR Art. 15(1)(c)) and so must be told of its changes (Art. 19).</summary>
internal static class RecipientEndpoints
{
    public static void MapRecipientEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/subjects")
            .WithTags("Subjects")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>()
            .MapGet("/{subjectId}/recipients", ListRecipients)
            .WithName("ListSubjectRecipients")
            .Audited(AuditActions.SubjectRecipients)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("Who received a subject's data")
            .WithDescription(
                "For officers (`audit.read`): every client that received fields of the subject for a purpose (reads, look-ups, purpose exports), " +
                "or provided them (created or rectified the subject), with the field names and when, from the audit trail. An erased subject is " +
                "still answered: its recipients are who must be told of the erasure (GDPR Art. 17(2), 19). `notifications` lists, per change event " +
                "of the subject and recipient, when the recipient was told and when it acknowledged. An unknown id is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static async Task<Results<Ok<RecipientListResponse>, ProblemHttpResult>> ListRecipients(
        string subjectId, SubjectPresence subjects, IRecipientLedger ledger, ChangeAcknowledgements acknowledgements, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId) || !subjects.IsKnown(subjectId))
        {
            return Problems.NotFound();
        }

        var recipients = await ledger.ForSubjectAsync(subjectId, cancellationToken);
        return TypedResults.Ok(new RecipientListResponse(
            recipients.Select(RecipientResponse.From).ToList(),
            acknowledgements.ForSubject(subjectId).Select(ChangeNoticeResponse.From).ToList()));
    }
}
