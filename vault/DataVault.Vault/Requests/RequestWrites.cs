using DataVault.Vault.Audit;
using DataVault.Vault.Mail;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Requests;

/// <summary>Where a notice about a request goes: an address and the subject it concerns, if it may name one.</summary>
internal sealed record NoticeAddress(string To, string? SubjectId);

/// <summary>
/// What a change writes beside the row: history entries and, at most, one notice to the requester, all in the
/// change's own transaction, so the request, its history and the notice commit together or not at all.
/// </summary>
internal sealed class RequestChangeContext(Actor actor, DateTimeOffset now, DateOnly today, TimeProvider time)
{
    private readonly List<RequestEventDraft> _events = [];

    public DateTimeOffset Now => now;

    public DateOnly Today => today;

    public Actor Actor => actor;

    public IReadOnlyList<RequestEventDraft> Events => _events;

    /// <summary>The notice to queue, composed from the request as the change left it.</summary>
    public Func<RequestRecord, OutgoingMail>? Notice { get; set; }

    public void Record(string kind, string? fromStatus = null, string? toStatus = null, string? detail = null, string? note = null) =>
        _events.Add(new RequestEventDraft(RecordId.New(time), now, actor.Type, actor.Id, kind, fromStatus, toStatus, detail, note));
}

/// <summary>The result of a request write: how it ended, the conflict's reason, and the outbox id of a notice it queued.</summary>
internal sealed record RequestWriteResult(RequestOutcome Outcome, string? Conflict = null, string? QueuedMailId = null);

/// <summary>Base of the writes of requests: history and notice written in the same transaction as the row.</summary>
internal abstract class RequestWriteBase(MailOutbox outbox) : VaultWrite<RequestWriteResult>
{
    protected override bool Keeps(RequestWriteResult result) => result.Outcome == RequestOutcome.Ok;

    protected RequestWriteResult Finish(VaultWriteContext context, RequestChangeContext change, RequestRecord request)
    {
        string? mailId = null;
        if (change.Notice is { } notice)
        {
            var record = outbox.Prepare(notice(request), request.Id);
            QueueMailWrite.Insert(context, record);
            change.Record(RequestEventKinds.Notice, detail: $"{record.Kind} {record.Id} {record.RecipientMask}");
            mailId = record.Id;
        }

        RequestRows.AppendEvents(context, request.Id, change.Events);

        return new RequestWriteResult(RequestOutcome.Ok, QueuedMailId: mailId);
    }
}

/// <summary>A new request, with its receipt in the history and its receipt notice; refused for an unknown or erased subject.</summary>
internal sealed class CreateRequestWrite(RequestRecord request, RequestChangeContext change, MailOutbox outbox) : RequestWriteBase(outbox)
{
    protected override RequestWriteResult Execute(VaultWriteContext context)
    {
        if (request.SubjectId is { } subjectId)
        {
            switch (SubjectRows.Check(context, subjectId))
            {
                case VaultOutcome.NotFound:
                    return new RequestWriteResult(RequestOutcome.NotFound);
                case VaultOutcome.Gone:
                    return new RequestWriteResult(RequestOutcome.SubjectErased);
            }
        }

        RequestRows.Insert(context, request);
        return Finish(context, change, request);
    }
}

/// <summary>
/// A change to an existing request, decided on the row as it stands inside the transaction, so two officers
/// acting at once never both move it from the same status: <paramref name="decide"/> changes the row and answers
/// null, or answers why the change conflicts with the request's state (then nothing is written).
/// </summary>
internal sealed class ChangeRequestWrite(string requestId, RequestChangeContext change, Func<RequestRecord, RequestChangeContext, string?> decide, MailOutbox outbox)
    : RequestWriteBase(outbox)
{
    protected override RequestWriteResult Execute(VaultWriteContext context)
    {
        if (RequestRows.Find(context, requestId) is not { } request)
        {
            return new RequestWriteResult(RequestOutcome.NotFound);
        }

        if (decide(request, change) is { } conflict)
        {
            return new RequestWriteResult(RequestOutcome.Conflict, conflict);
        }

        request.UpdatedAt = change.Now;
        RequestRows.Update(context, request);
        return Finish(context, change, request);
    }
}
