using System.Text.Json;
using DataVault.Vault.Requests;

namespace DataVault.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/actions</c>: one operation to take for the request's subject.</summary>
/// <param name="Action"><c>rectify</c>, <c>erase</c>, <c>restrict</c>, <c>object</c> or <c>withdraw-consent</c>.</param>
/// <param name="Fields">For <c>rectify</c>: new values by field name, each validated against the field catalogue.</param>
/// <param name="PurposeId">For <c>withdraw-consent</c>: the purpose whose consent is withdrawn (required). For <c>object</c>: the purpose objected to; none objects to all processing.</param>
/// <param name="Reason">For <c>restrict</c> (required) and <c>object</c>: why, in the officer's words (never the subject's data).</param>
internal sealed record RequestActionBody(
    string? Action = null,
    IReadOnlyDictionary<string, JsonElement>? Fields = null,
    string? PurposeId = null,
    string? Reason = null);

/// <summary>What an action did, and the request as it then stands.</summary>
/// <param name="Action">The action taken.</param>
/// <param name="Detail">What the request's history records of it: codes, ids and field names, never a value.</param>
/// <param name="Erasure">For <c>erase</c>: the erasure receipt (GDPR Art. 17).</param>
/// <param name="Request">The request with its history, the action's entry last.</param>
internal sealed record RequestActionResponse(string Action, string Detail, ErasureReceiptResponse? Erasure, RequestDetailResponse Request)
{
    public static RequestActionResponse From(FulfilmentDone done, RequestDetail request) =>
        new(done.Action, done.Detail, done.Erasure is { } receipt ? ErasureReceiptResponse.From(receipt) : null, RequestDetailResponse.From(request));
}
