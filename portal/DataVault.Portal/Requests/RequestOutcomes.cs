using DataVault.Vault.Requests;

namespace DataVault.Portal.Requests;

/// <summary>What a change to a request means for its audit entry, and for the form that asked for it.</summary>
internal static class RequestOutcomes
{
    /// <summary>The audit outcome of a change: done, refused as invalid or in the wrong state, not found, or the subject erased.</summary>
    public static string Audit(RequestResult result) => result.Outcome switch
    {
        RequestOutcome.Ok => AuditOutcomes.Success,
        RequestOutcome.NotFound => AuditOutcomes.NotFound,
        RequestOutcome.SubjectErased => AuditOutcomes.Gone,
        _ => AuditOutcomes.Invalid,
    };

    /// <summary>
    /// The form errors of a refused change, each under the form key <paramref name="key"/> gives for the vault's
    /// field name, in the page's language (the vault's own messages are English and name its fields).
    /// </summary>
    public static IEnumerable<(string Key, string Message)> Errors(RequestResult result, IStringLocalizer<RequestText> text, Func<string, string> key)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(key);
        switch (result.Outcome)
        {
            case RequestOutcome.NotFound:
                yield return (key("subject"), text["No customer or request with this id is known to this vault."]);
                break;
            case RequestOutcome.SubjectErased:
                yield return (key("subject"), text["This customer's data was erased."]);
                break;
            case RequestOutcome.Conflict:
                yield return (key("state"), text["This is not possible in the request's current step or period."]);
                break;
            case RequestOutcome.Invalid:
                foreach (var field in result.Errors?.Keys ?? [])
                {
                    yield return (key(field), Message(field, text));
                }

                break;
        }
    }

    private static string Message(string field, IStringLocalizer<RequestText> text) => field switch
    {
        "type" => text["Choose the kind of request."],
        "channel" => text["Choose how the request reached you."],
        "requester" => text["Give the customer's subject id, or the requester's name, e-mail address or phone number."],
        "requester.name" => text["Use at most 200 characters for the name."],
        "requester.email" => text["Enter an e-mail address like name@example.com."],
        "requester.phone" => text["Enter a phone number: digits, spaces and + - ( ) . only, at most 32 characters."],
        "receivedAt" => text["The day of receipt cannot lie in the future."],
        "assignee" => text["Use at most 100 characters, without line breaks."],
        "months" => text["Choose one or two months."],
        "reason" => text["Give the reason; the requester is told it."],
        "evidence" => text["Choose the identity document you checked."],
        "text" => text["Write a text of at most 2000 characters."],
        _ => text["Write at most 2000 characters."],
    };
}
