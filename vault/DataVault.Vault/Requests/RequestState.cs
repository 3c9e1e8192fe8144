namespace DataVault.Vault.Requests;

/// <summary>
/// The rules of a request's life, applied to its row inside the write that changes it: which status may follow
/// which, how the clock pauses and resumes, when an extension is allowed and whether an answer came in time.
/// Pure: "today" (where the controller is) and the deadline arithmetic are given.
/// </summary>
internal static class RequestState
{
    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [RequestStatuses.Received] = [RequestStatuses.IdentityCheck, RequestStatuses.InProgress, RequestStatuses.Refused, RequestStatuses.Withdrawn],
        [RequestStatuses.IdentityCheck] = [RequestStatuses.InProgress, RequestStatuses.Refused, RequestStatuses.Withdrawn],
        [RequestStatuses.InProgress] = [RequestStatuses.Completed, RequestStatuses.Refused, RequestStatuses.Withdrawn],
        [RequestStatuses.Completed] = [],
        [RequestStatuses.Refused] = [],
        [RequestStatuses.Withdrawn] = [],
    };

    /// <summary>Whether a request in <paramref name="from"/> may move to <paramref name="to"/>; a closed request never moves again.</summary>
    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to, StringComparer.Ordinal);

    /// <summary>The statuses a request in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<string> NextOf(string from) => Next.TryGetValue(from, out var next) ? next : [];

    /// <summary>The days paused so far, counting the pause still running up to <paramref name="today"/>.</summary>
    public static int PausedDaysOn(RequestRecord request, DateOnly today) =>
        request.PausedDays + (request.PausedSince is { } since && today > since ? LegalDeadline.PausedDays(since, today) : 0);

    /// <summary>The due date as of <paramref name="today"/>: while the clock is paused, it moves a day for every day paused.</summary>
    public static DateOnly DueOn(RequestRecord request, LegalDeadline deadline, DateOnly today) =>
        request.PausedSince is null ? request.DueDate : deadline.Due(request.ReceivedDate, request.ExtensionMonths, PausedDaysOn(request, today));

    /// <summary>The end of the first month as of <paramref name="today"/>, pauses included: the last day an extension may be notified.</summary>
    public static DateOnly FirstDueOn(RequestRecord request, LegalDeadline deadline, DateOnly today) =>
        request.PausedSince is null ? request.FirstDueDate : deadline.Due(request.ReceivedDate, 0, PausedDaysOn(request, today));

    /// <summary>Sets both due dates from receipt, extension and the days paused (Art. 12(3), Regulation 1182/71).</summary>
    public static void Recompute(RequestRecord request, LegalDeadline deadline)
    {
        request.FirstDueDate = deadline.Due(request.ReceivedDate, 0, request.PausedDays);
        request.DueDate = deadline.Due(request.ReceivedDate, request.ExtensionMonths, request.PausedDays);
    }

    /// <summary>Ends a running pause on <paramref name="today"/>: its days are added and the due dates move by them. Returns the days it lasted, or null when the clock was running.</summary>
    public static int? Resume(RequestRecord request, LegalDeadline deadline, DateOnly today)
    {
        if (request.PausedSince is not { } since)
        {
            return null;
        }

        var days = today > since ? LegalDeadline.PausedDays(since, today) : 0;
        request.PausedDays += days;
        request.PausedSince = null;
        Recompute(request, deadline);
        return days;
    }

    /// <summary>Closes the request: answered in time when <paramref name="today"/> is no later than its due date (the period ends with the due date's last hour, Regulation 1182/71 Art. 3(2)(c)).</summary>
    public static void Close(RequestRecord request, string status, DateTimeOffset now, DateOnly today, string closedBy, LegalDeadline deadline)
    {
        Resume(request, deadline, today);
        request.Status = status;
        request.ClosedAt = now;
        request.ClosedBy = closedBy;
        request.OnTime = status == RequestStatuses.Withdrawn ? null : today <= request.DueDate;
    }
}
