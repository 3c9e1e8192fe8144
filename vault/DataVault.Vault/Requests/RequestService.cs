using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Encryption;
using DataVault.Vault.Mail;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DataVault.Vault.Requests;

/// <summary>"Today" where the controller is (<c>Controller:TimeZone</c>): receipt, pauses and deadlines count in its days.</summary>
internal sealed class RequestClock(TimeProvider time, TimeZoneInfo zone)
{
    public DateOnly Today => LegalDeadline.LocalDate(time.GetUtcNow(), zone);

    public DateOnly LocalDate(DateTimeOffset instant) => LegalDeadline.LocalDate(instant, zone);
}

/// <summary>
/// Data-subject requests (GDPR Art. 12): received from any channel, answered within the deadline of Art. 12(3)
/// (<see cref="LegalDeadline"/>), with a full history. Every change is one vault write that changes the row,
/// appends to the history and queues the notice to the requester together. Callers audit each call
/// (<c>request.*</c>); the history names the actor of each change.
/// </summary>
public sealed class RequestService
{
    public const int MaxNoteLength = 2000;
    public const int MaxPageSize = 200;

    private const string EmailField = "email";
    private const string LanguageField = "preferred_language";

    private readonly VaultDbContext db;
    private readonly VaultWriter writer;
    private readonly LegalDeadline deadline;
    private readonly RequestClock clock;
    private readonly IDataProtector payloadProtector;
    private readonly MailOutbox outbox;
    private readonly MailOutboxSignal signal;
    private readonly SubjectService subjects;
    private readonly IOptions<MailOptions> mailOptions;
    private readonly IOptions<RequestsOptions> options;
    private readonly BlindIndex blindIndex;
    private readonly TimeProvider time;
    private readonly ILogger<RequestService> logger;

    internal RequestService(
        VaultDbContext db,
        VaultWriter writer,
        LegalDeadline deadline,
        RequestClock clock,
        IDataProtectionProvider dataProtection,
        MailOutbox outbox,
        MailOutboxSignal signal,
        SubjectService subjects,
        IOptions<MailOptions> mailOptions,
        IOptions<RequestsOptions> options,
        BlindIndex blindIndex,
        TimeProvider time,
        ILogger<RequestService> logger)
    {
        this.db = db;
        this.writer = writer;
        this.deadline = deadline;
        this.clock = clock;
        payloadProtector = dataProtection.CreateProtector("DataVault.Vault.Requests.Payload.v1");
        this.outbox = outbox;
        this.signal = signal;
        this.subjects = subjects;
        this.mailOptions = mailOptions;
        this.options = options;
        this.blindIndex = blindIndex;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Records a request as received and queues its receipt notice to the requester's address, when there is
    /// one to use (<see cref="NoticeAddressAsync"/>). Invalid input names the field at fault; an unknown or
    /// erased subject is not found or gone, and nothing is written.
    /// </summary>
    public async Task<RequestResult> CreateAsync(NewRequest input, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        var errors = Validate(input, now);
        if (errors.Count > 0)
        {
            return new RequestResult(RequestOutcome.Invalid, null, errors);
        }

        if (input.SubjectId is { } subjectId && !SubjectId.IsWellFormed(subjectId))
        {
            return RequestResult.Missing;
        }

        var language = input.Language
            ?? (input.SubjectId is { } known && await subjects.ReadTextFieldAsync(known, LanguageField, cancellationToken) is { } preferred && RequestNotices.Speaks(preferred) ? preferred : "en");
        var receivedAt = input.ReceivedAt ?? now;
        var id = RecordId.New(time);
        var contact = input.Requester is { } requester ? Trimmed(requester) : null;
        var request = new RequestRecord
        {
            Id = id,
            Type = input.Type!,
            SubjectId = input.SubjectId,
            RequesterMask = contact is null ? null : MaskOf(contact),
            Payload = contact is null ? null : ProtectContact(id, contact),
            Channel = input.Channel!,
            ReceivedAt = receivedAt,
            ReceivedDate = clock.LocalDate(receivedAt),
            Language = language,
            Status = RequestStatuses.Received,
            Assignee = Blank(input.Assignee),
            DueDate = default,
            FirstDueDate = default,
            CreatedBy = actor.Id,
            UpdatedAt = now,
        };
        RequestState.Recompute(request, deadline);

        var change = new RequestChangeContext(actor, now, clock.Today, time);
        change.Record(RequestEventKinds.Received, toStatus: RequestStatuses.Received, detail: request.Channel);
        if (Blank(input.Note) is { } note)
        {
            change.Record(RequestEventKinds.Note, note: note);
        }

        if (await NoticeAddressAsync(request, contact, cancellationToken) is { } address)
        {
            change.Notice = row => RequestNotices.Compose(RequestNotices.ReceivedKind, row, address.To, address.SubjectId, null, mailOptions.Value.Smtp.FromName);
        }

        var written = await writer.WriteAsync(new CreateRequestWrite(request, change, outbox), cancellationToken);
        if (written.Outcome != RequestOutcome.Ok)
        {
            return new RequestResult(written.Outcome, null);
        }

        Log.RequestCreated(logger, id, request.Type, request.Channel, request.SubjectId);
        return await AnsweredAsync(id, written, cancellationToken);
    }

    /// <summary>A request with its history; null when there is no such request.</summary>
    public async Task<RequestDetail?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(requestId)
            || await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) is not { } request)
        {
            return null;
        }

        var history = await db.RequestEvents.AsNoTracking()
            .Where(e => e.RequestId == requestId)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return new RequestDetail(View(request, clock.Today), history.Select(View).ToList());
    }

    /// <summary>
    /// Requests matching <paramref name="filter"/>: open ones first, by due date (so the overdue come first), then
    /// the closed ones. Null when <paramref name="cursor"/> is not one this method returned.
    /// </summary>
    public async Task<RequestPage?> ListAsync(RequestFilter filter, string? cursor, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var today = clock.Today;
        var parameters = new List<SqliteParameter>();
        var conditions = new List<string>();
        string Bind(object value)
        {
            var name = "$p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new SqliteParameter(name, value));
            return name;
        }

        if (filter.Status is { } status)
        {
            conditions.Add($"status = {Bind(status)}");
        }

        if (filter.Type is { } type)
        {
            conditions.Add($"type = {Bind(type)}");
        }

        if (filter.SubjectId is { } subjectId)
        {
            conditions.Add($"subject_id = {Bind(subjectId)}");
        }

        if (filter.DueBefore is { } dueBefore)
        {
            conditions.Add($"due_date <= {Bind(Day(dueBefore))}");
        }

        // A paused clock does not run, so a request waiting for its identity check is never overdue meanwhile.
        if (filter.Overdue is { } overdue)
        {
            var isOverdue = $"(closed_at IS NULL AND paused_since IS NULL AND due_date < {Bind(Day(today))})";
            conditions.Add(overdue ? isOverdue : $"NOT {isOverdue}");
        }

        if (cursor is not null)
        {
            if (ListCursor.Parse(cursor) is not { } after)
            {
                return null;
            }

            conditions.Add($"((closed_at IS NOT NULL), due_date, id) > ({Bind(after.Closed ? 1 : 0)}, {Bind(Day(after.Due))}, {Bind(after.Id)})");
        }

        var sql = new StringBuilder("SELECT * FROM requests");
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }

        sql.Append(" ORDER BY (closed_at IS NOT NULL), due_date, id LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        var rows = await db.Requests.FromSqlRaw(sql.ToString(), [.. parameters]).AsNoTracking().ToListAsync(cancellationToken);
        var next = rows.Count == limit ? new ListCursor(rows[^1].ClosedAt is not null, rows[^1].DueDate, rows[^1].Id).Format() : null;
        return new RequestPage(rows.Select(r => View(r, today)).ToList(), next);
    }

    /// <summary>
    /// Moves a request to <paramref name="to"/> (<see cref="RequestState.CanMove"/>). Entering the identity check
    /// may pause the clock (<paramref name="pauseClock"/>); leaving it resumes the clock and moves the due dates by
    /// the days paused. Completing and refusing have their own methods, as they need an answer and a notice.
    /// </summary>
    public async Task<RequestResult> MoveAsync(string requestId, string? to, bool pauseClock, Actor actor, CancellationToken cancellationToken)
    {
        if (to is not (RequestStatuses.IdentityCheck or RequestStatuses.InProgress or RequestStatuses.Withdrawn))
        {
            return RequestResult.Invalid("to", to is RequestStatuses.Completed or RequestStatuses.Refused
                ? "A request is completed or refused through its completion or refusal, which tell the requester."
                : $"Must be one of {RequestStatuses.IdentityCheck}, {RequestStatuses.InProgress}, {RequestStatuses.Withdrawn}.");
        }

        if (pauseClock && to != RequestStatuses.IdentityCheck)
        {
            return RequestResult.Invalid("pauseClock", "The clock can be paused only while identity is being checked.");
        }

        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            var from = request.Status;
            if (!RequestState.CanMove(from, to))
            {
                return $"A request that is {from} cannot move to {to}.";
            }

            if (RequestState.Resume(request, deadline, change.Today) is { } days)
            {
                change.Record(RequestEventKinds.Resumed, detail: $"days={days.ToString(CultureInfo.InvariantCulture)} due={Day(request.DueDate)}");
            }

            if (to == RequestStatuses.Withdrawn)
            {
                RequestState.Close(request, to, change.Now, change.Today, change.Actor.Id, deadline);
            }
            else
            {
                request.Status = to;
            }

            change.Record(RequestEventKinds.Status, from, to);
            if (pauseClock)
            {
                request.PausedSince = change.Today;
                change.Record(RequestEventKinds.Paused, detail: $"since={Day(change.Today)}");
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>Adds the officer's note to the history; a closed request still takes notes (what happened afterwards).</summary>
    public async Task<RequestResult> AddNoteAsync(string requestId, string? text, Actor actor, CancellationToken cancellationToken)
    {
        if (CheckText(text, required: true) is { } problem)
        {
            return RequestResult.Invalid("text", problem);
        }

        return await ChangeAsync(requestId, actor, (_, change) =>
        {
            change.Record(RequestEventKinds.Note, note: text!.Trim());
            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// Extends the period by <paramref name="months"/> (GDPR Art. 12(3): "two further months" in all, "taking
    /// into account the complexity and number of the requests"), only while the first month runs, and queues the
    /// notice with the reasons in the same write.
    /// </summary>
    public async Task<RequestResult> ExtendAsync(string requestId, int months, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        if (months is < 1 or > LegalDeadline.MaxExtensionMonths)
        {
            return RequestResult.Invalid("months", "Must be 1 or 2: GDPR Art. 12(3) allows two further months in all.");
        }

        if (CheckText(reason, required: true) is { } problem)
        {
            return RequestResult.Invalid("reason", "The subject is told why the period is extended (Art. 12(3)). " + problem);
        }

        var text = reason!.Trim();
        var address = await AddressForAsync(requestId, cancellationToken);
        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            if (!RequestStatuses.IsOpen(request.Status))
            {
                return $"A request that is {request.Status} cannot be extended.";
            }

            var firstDue = RequestState.FirstDueOn(request, deadline, change.Today);
            switch (LegalDeadline.CheckExtension(change.Today, firstDue, request.ExtensionMonths, months))
            {
                case ExtensionCheck.AfterFirstDueDate:
                    return $"The first month ended on {Day(firstDue)}: an extension must be notified within one month of receipt (GDPR Art. 12(3)).";
                case ExtensionCheck.BeyondTwoMonths:
                    return $"The period is already extended by {request.ExtensionMonths.ToString(CultureInfo.InvariantCulture)} month(s); GDPR Art. 12(3) allows two further months in all.";
            }

            request.ExtensionMonths += months;
            request.ExtensionReason = text;
            RequestState.Recompute(request, deadline);
            change.Record(RequestEventKinds.Extended, detail: $"months={request.ExtensionMonths.ToString(CultureInfo.InvariantCulture)} due={Day(RequestState.DueOn(request, deadline, change.Today))}", note: text);
            if (address is not null)
            {
                change.Notice = row => RequestNotices.Compose(RequestNotices.ExtendedKind, row, address.To, address.SubjectId, text, mailOptions.Value.Smtp.FromName);
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// Refuses a request with a reason of <see cref="RefusalReasons"/> and the officer's explanation, and queues
    /// the notice that states them with the right to complain and to a judicial remedy (GDPR Art. 12(4)).
    /// </summary>
    public async Task<RequestResult> RefuseAsync(string requestId, string? reason, string? text, Actor actor, CancellationToken cancellationToken)
    {
        if (reason is null || !RefusalReasons.All.Contains(reason, StringComparer.Ordinal))
        {
            return RequestResult.Invalid("reason", $"Must be one of {string.Join(", ", RefusalReasons.All)}.");
        }

        if (CheckText(text, required: true) is { } problem)
        {
            return RequestResult.Invalid("text", "The subject is told why (GDPR Art. 12(4)). " + problem);
        }

        var explanation = text!.Trim();
        var address = await AddressForAsync(requestId, cancellationToken);
        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            var from = request.Status;
            if (!RequestState.CanMove(from, RequestStatuses.Refused))
            {
                return $"A request that is {from} cannot be refused.";
            }

            request.RefusalReason = reason;
            RequestState.Close(request, RequestStatuses.Refused, change.Now, change.Today, change.Actor.Id, deadline);
            change.Record(RequestEventKinds.Refused, from, RequestStatuses.Refused, reason, explanation);
            if (address is not null)
            {
                change.Notice = row => RequestNotices.Compose(RequestNotices.RefusedKind, row, address.To, address.SubjectId, explanation, mailOptions.Value.Smtp.FromName);
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>Completes a request in progress, records whether it was answered in time, and queues the completion notice.</summary>
    public async Task<RequestResult> CompleteAsync(string requestId, string? summary, Actor actor, CancellationToken cancellationToken)
    {
        if (CheckText(summary, required: false) is { } problem)
        {
            return RequestResult.Invalid("summary", problem);
        }

        var note = Blank(summary);
        var address = await AddressForAsync(requestId, cancellationToken);
        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            var from = request.Status;
            if (!RequestState.CanMove(from, RequestStatuses.Completed))
            {
                return $"Only a request in progress can be completed; this one is {from}.";
            }

            RequestState.Close(request, RequestStatuses.Completed, change.Now, change.Today, change.Actor.Id, deadline);
            change.Record(RequestEventKinds.Completed, from, RequestStatuses.Completed, request.OnTime == true ? "on-time" : "late", note);
            if (address is not null)
            {
                change.Notice = row => RequestNotices.Compose(RequestNotices.CompletedKind, row, address.To, address.SubjectId, null, mailOptions.Value.Smtp.FromName);
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// Records in the history an operation taken to fulfil the request (<see cref="RequestFulfilment"/>): its codes
    /// and ids in <paramref name="detail"/>. Only an open request takes it.
    /// </summary>
    internal Task<RequestResult> RecordActionAsync(string requestId, string detail, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(requestId, actor, (request, change) =>
        {
            if (!RequestStatuses.IsOpen(request.Status))
            {
                return $"A request that is {request.Status} takes no more actions.";
            }

            change.Record(RequestEventKinds.Action, detail: detail);
            return null;
        }, cancellationToken);

    /// <summary>The requester's contact masked for lists and audit: <c>a***@example.com</c>, the phone's last two digits, or the name's initial.</summary>
    internal static string MaskOf(RequesterContact contact) =>
        contact.Email is { Length: > 0 } email ? MailAddressMask.Mask(email)
        : contact.Phone is { Length: > 2 } phone ? "***" + phone[^2..]
        : contact.Name is { Length: > 0 } name ? name[..1] + "***"
        : "***";

    /// <summary>
    /// Sends a one-time code to the e-mail address on record of the subject the request concerns, never to an
    /// address the requester gave (Art. 12(6)): whoever can read that mailbox is the subject. Earlier unused codes
    /// stop working. Conflict for a closed, unlinked or already verified request, or a subject with no address on record.
    /// </summary>
    public async Task<IdentityChallengeResult> ChallengeIdentityAsync(string requestId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsWellFormedId(requestId) || await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) is not { } request)
        {
            return new IdentityChallengeResult(RequestOutcome.NotFound, null);
        }

        if (RequestIdentityRules.ChallengeConflict(request) is { } conflict)
        {
            return new IdentityChallengeResult(RequestOutcome.Conflict, null, conflict);
        }

        if (await subjects.ReadTextFieldAsync(request.SubjectId!, EmailField, cancellationToken) is not { Length: > 0 } address
            || await subjects.IndexedDigestAsync(request.SubjectId!, EmailField, cancellationToken) is not { } digest)
        {
            return new IdentityChallengeResult(RequestOutcome.Conflict, null, "The subject has no e-mail address on record to send a code to; an officer can check a document instead.");
        }

        var now = time.GetUtcNow();
        var id = RecordId.New(time);
        var code = RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        var expiresAt = now + options.Value.IdentityCodeLifetime;
        var challenge = new PreparedChallenge(
            id, CodeHash(id, code), digest, now, expiresAt, RequestNotices.ComposeCode(request, address, request.SubjectId!, code, expiresAt, mailOptions.Value.Smtp.FromName));
        var change = new RequestChangeContext(actor, now, clock.Today, time);
        var written = await WriteAsync(requestId, new ChallengeIdentityWrite(requestId, challenge, change, outbox), change, cancellationToken);
        return written.Outcome == RequestOutcome.Ok
            ? new IdentityChallengeResult(RequestOutcome.Ok, new IdentityChallenge(MailAddressMask.Mask(address), expiresAt))
            : new IdentityChallengeResult(written.Outcome, null, written.Conflict);
    }

    /// <summary>
    /// Verifies the requester by the code sent to the address on record. A wrong code uses up an attempt (invalid,
    /// saying how many are left); an expired, used-up or replaced code, or one sent to an address no longer on
    /// record, is a conflict.
    /// </summary>
    public async Task<RequestResult> VerifyCodeAsync(string requestId, string? code, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (code is not { Length: 8 } || !code.All(char.IsAsciiDigit))
        {
            return RequestResult.Invalid("code", "Must be the 8 digits sent by e-mail.");
        }

        if (!IsWellFormedId(requestId))
        {
            return RequestResult.Missing;
        }

        var change = new RequestChangeContext(actor, time.GetUtcNow(), clock.Today, time);
        return await WriteAsync(requestId, new VerifyCodeWrite(requestId, id => CodeHash(id, code), options.Value.IdentityCodeMaxAttempts, change, outbox), change, cancellationToken);
    }

    /// <summary>Records that an officer checked a document of the kind <paramref name="evidence"/> (<see cref="IdentityEvidence"/>); only the kind is kept.</summary>
    public async Task<RequestResult> RecordManualCheckAsync(string requestId, string? evidence, Actor actor, CancellationToken cancellationToken)
    {
        if (evidence is null || !IdentityEvidence.All.Contains(evidence, StringComparer.Ordinal))
        {
            return RequestResult.Invalid("evidence", $"Must be one of {string.Join(", ", IdentityEvidence.All)}.");
        }

        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            if (RequestIdentityRules.ChallengeConflict(request) is { } conflict)
            {
                return conflict;
            }

            RequestIdentityRules.Verify(request, IdentityMethods.ManualPrefix + evidence, change, null);
            return null;
        }, cancellationToken);
    }

    private async Task<RequestResult> ChangeAsync(string requestId, Actor actor, Func<RequestRecord, RequestChangeContext, string?> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsWellFormedId(requestId))
        {
            return RequestResult.Missing;
        }

        var change = new RequestChangeContext(actor, time.GetUtcNow(), clock.Today, time);
        return await WriteAsync(requestId, new ChangeRequestWrite(requestId, change, decide, outbox), change, cancellationToken);
    }

    /// <summary>Runs a write of the request and answers with the request as it then stands, or why not.</summary>
    private async Task<RequestResult> WriteAsync(string requestId, RequestWriteBase write, RequestChangeContext change, CancellationToken cancellationToken)
    {
        var written = await writer.WriteAsync(write, cancellationToken);
        switch (written.Outcome)
        {
            case RequestOutcome.NotFound:
                return RequestResult.Missing;
            case RequestOutcome.Conflict:
                return RequestResult.Conflicting(written.Conflict!);
            case RequestOutcome.Invalid:
                return RequestResult.Invalid("code", written.Conflict!);
        }

        Log.RequestChanged(logger, requestId, change.Events.Count, written.QueuedMailId);
        return await AnsweredAsync(requestId, written, cancellationToken);
    }

    /// <summary>A keyed digest of a code, bound to its challenge: the vault's blind-index key, in a domain of its own.</summary>
    private byte[] CodeHash(string challengeId, string code) => blindIndex.Compute("request-identity-code", $"{challengeId}:{code}");

    private async Task<RequestResult> AnsweredAsync(string requestId, RequestWriteResult written, CancellationToken cancellationToken)
    {
        if (written.QueuedMailId is not null)
        {
            signal.Notify();
        }

        return new RequestResult(RequestOutcome.Ok, await GetAsync(requestId, cancellationToken));
    }

    /// <summary>Where a notice about the request goes, read before the write that queues it; null for no such request.</summary>
    private async Task<NoticeAddress?> AddressForAsync(string requestId, CancellationToken cancellationToken) =>
        IsWellFormedId(requestId) && await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) is { } request
            ? await NoticeAddressAsync(request, UnprotectContact(request), cancellationToken)
            : null;

    /// <summary>
    /// A verified subject is written to at the address on record; anyone else at the address they gave, with
    /// nothing in the notice about whether the vault holds data on them. No address, no notice.
    /// </summary>
    private async Task<NoticeAddress?> NoticeAddressAsync(RequestRecord request, RequesterContact? contact, CancellationToken cancellationToken)
    {
        if (request.SubjectId is { } subjectId && request.IdentityMethod is not null
            && await subjects.ReadTextFieldAsync(subjectId, EmailField, cancellationToken) is { Length: > 0 } onRecord)
        {
            return new NoticeAddress(onRecord, subjectId);
        }

        return contact?.Email is { Length: > 0 } given ? new NoticeAddress(given, null) : null;
    }

    private byte[] ProtectContact(string id, RequesterContact contact) =>
        payloadProtector.CreateProtector(id).Protect(JsonSerializer.SerializeToUtf8Bytes(contact));

    private RequesterContact? UnprotectContact(RequestRecord request) =>
        request.Payload is { } payload ? JsonSerializer.Deserialize<RequesterContact>(payloadProtector.CreateProtector(request.Id).Unprotect(payload)) : null;

    private RequestView View(RequestRecord r, DateOnly today)
    {
        var due = RequestState.DueOn(r, deadline, today);
        var open = RequestStatuses.IsOpen(r.Status);
        var status = deadline.StatusOn(today, due);
        return new RequestView(
            r.Id, r.Type, r.SubjectId, r.RequesterMask, r.Channel, r.ReceivedAt, r.ReceivedDate, r.Language, r.Status, r.Assignee,
            due, RequestState.FirstDueOn(r, deadline, today), r.ExtensionMonths, r.ExtensionReason, RequestState.PausedDaysOn(r, today), r.PausedSince,
            r.IdentityMethod, r.IdentityVerifiedAt, r.RefusalReason, r.ClosedAt, r.ClosedBy, r.OnTime,
            Overdue: open && r.PausedSince is null && status == DeadlineStatus.Overdue,
            DueSoon: open && status == DeadlineStatus.DueSoon,
            r.CreatedBy, r.UpdatedAt);
    }

    private static RequestEventView View(RequestEventRecord e) =>
        new(e.Id, e.OccurredAt, e.ActorType, e.ActorId, e.Kind, e.FromStatus, e.ToStatus, e.Detail, e.Note);

    private static Dictionary<string, string[]> Validate(NewRequest input, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.Type is null || !RequestTypes.All.Contains(input.Type, StringComparer.Ordinal))
        {
            errors["type"] = [$"Must be one of {string.Join(", ", RequestTypes.All)}."];
        }

        if (input.Channel is null || !RequestChannels.All.Contains(input.Channel, StringComparer.Ordinal))
        {
            errors["channel"] = [$"Must be one of {string.Join(", ", RequestChannels.All)}."];
        }

        if (input.SubjectId is null && input.Requester is null)
        {
            errors["requester"] = ["Give the subject the request concerns, or the requester's contact details."];
        }

        if (input.Requester is { } requester)
        {
            if (Blank(requester.Name) is null && Blank(requester.Email) is null && Blank(requester.Phone) is null)
            {
                errors["requester"] = ["Give at least a name, an e-mail address or a phone number."];
            }

            if (Blank(requester.Name) is { } name && (name.Length > 200 || name.Any(char.IsControl)))
            {
                errors["requester.name"] = ["Must be at most 200 characters, without control characters."];
            }

            if (Blank(requester.Email) is { } email
                && (email.Length > 254 || !MailboxAddress.TryParse(email, out var parsed) || parsed.Address != email || email.IndexOf('@', StringComparison.Ordinal) <= 0))
            {
                errors["requester.email"] = ["Is not an e-mail address."];
            }

            if (Blank(requester.Phone) is { } phone && (phone.Length > 32 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.')))
            {
                errors["requester.phone"] = ["Must be a phone number: digits, spaces and + - ( ) . only, at most 32 characters."];
            }
        }

        if (input.ReceivedAt is { } receivedAt && receivedAt > now)
        {
            errors["receivedAt"] = ["Lies in the future."];
        }

        if (input.Language is { } language && !RequestNotices.Speaks(language))
        {
            errors["language"] = [$"Must be one of {string.Join(", ", RequestNotices.Languages)}."];
        }

        if (Blank(input.Assignee) is { } assignee && (assignee.Length > 100 || assignee.Any(char.IsControl)))
        {
            errors["assignee"] = ["Must be at most 100 characters, without control characters."];
        }

        if (CheckText(input.Note, required: false) is { } problem)
        {
            errors["note"] = [problem];
        }

        return errors;
    }

    /// <summary>Free text of an officer: at most <see cref="MaxNoteLength"/> characters, line breaks allowed, no other control characters.</summary>
    private static string? CheckText(string? text, bool required) =>
        Blank(text) is not { } value ? (required ? "Is required." : null)
        : value.Length > MaxNoteLength || value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            ? $"Must be at most {MaxNoteLength} characters, without control characters other than line breaks."
            : null;

    private static RequesterContact Trimmed(RequesterContact contact) => new(Blank(contact.Name), Blank(contact.Email), Blank(contact.Phone));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsWellFormedId(string? id) => Guid.TryParseExact(id, "D", out var parsed) && parsed.ToString("D") == id;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Hands an open request to <paramref name="assignee"/> (e.g. an officer's account id), or to no one when blank;
    /// the history names who handed it to whom.
    /// </summary>
    public async Task<RequestResult> AssignAsync(string requestId, string? assignee, Actor actor, CancellationToken cancellationToken)
    {
        var to = Blank(assignee);
        if (to is not null && (to.Length > 100 || to.Any(char.IsControl)))
        {
            return RequestResult.Invalid("assignee", "Must be at most 100 characters, without control characters.");
        }

        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            if (!RequestStatuses.IsOpen(request.Status))
            {
                return $"A request that is {request.Status} is not handled any more.";
            }

            request.Assignee = to;
            change.Record(RequestEventKinds.Assigned, detail: to);
            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// Records that the requester is the customer the request concerns, signed in to the portal (Art. 12(6): their
    /// sign-in established who they are). Only that customer may record it; a conflict for anyone else, and for a
    /// closed or already verified request. A request opened in the portal had no address to acknowledge it at
    /// (the customer was not yet verified), so its receipt notice goes now, to the address on record, in the
    /// request's language (the customer's own when the portal opened it); never a second one.
    /// </summary>
    public async Task<RequestResult> RecordPortalSignInAsync(string requestId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var receiptTo = await ReceiptAddressAtSignInAsync(requestId, actor, cancellationToken);
        return await ChangeAsync(requestId, actor, (request, change) =>
        {
            if (actor.Type != Actor.SubjectType || request.SubjectId != actor.Id)
            {
                return "Only the customer the request concerns, signed in, establishes their identity by signing in.";
            }

            if (RequestIdentityRules.ChallengeConflict(request) is { } conflict)
            {
                return conflict;
            }

            RequestIdentityRules.Verify(request, IdentityMethods.PortalSignIn, change, null);
            if (receiptTo is not null)
            {
                change.Notice = row => RequestNotices.Compose(RequestNotices.ReceivedKind, row, receiptTo, row.SubjectId, null, mailOptions.Value.Smtp.FromName);
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// The subject's address on record, when signing in is what first gives the request an address to acknowledge
    /// it at: the signed-in subject's own request, with no receipt notice queued before. Null otherwise.
    /// </summary>
    private async Task<string?> ReceiptAddressAtSignInAsync(string requestId, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Type != Actor.SubjectType || !IsWellFormedId(requestId)
            || !await db.Requests.AsNoTracking().AnyAsync(r => r.Id == requestId && r.SubjectId == actor.Id, cancellationToken))
        {
            return null;
        }

        var receiptNotice = RequestNotices.ReceivedKind + " ";
        var acknowledged = await db.RequestEvents.AsNoTracking()
            .AnyAsync(e => e.RequestId == requestId && e.Kind == RequestEventKinds.Notice && e.Detail != null && EF.Functions.Like(e.Detail, receiptNotice + "%"), cancellationToken);
        return acknowledged ? null : await subjects.ReadTextFieldAsync(actor.Id, EmailField, cancellationToken) is { Length: > 0 } onRecord ? onRecord : null;
    }

    /// <summary>Where the previous page ended, in the list's order; opaque to callers.</summary>
    private sealed record ListCursor(bool Closed, DateOnly Due, string Id)
    {
        public string Format() => Encryption.Base64Url.Encode(Encoding.UTF8.GetBytes($"{(Closed ? 1 : 0)}|{Day(Due)}|{Id}"));

        public static ListCursor? Parse(string text)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Encryption.Base64Url.Decode(text)).Split('|');
                return parts.Length == 3 && parts[0] is "0" or "1"
                    && DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
                    && IsWellFormedId(parts[2])
                    ? new ListCursor(parts[0] == "1", due, parts[2])
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
