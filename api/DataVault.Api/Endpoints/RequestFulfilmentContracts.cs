using System.Text.Json;
using DataVault.Vault.Requests;

namespace DataVault.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/actions</c>: one operation to take for the request's subject.</summary>
/// <param name="Action"><c>export-link</c>, <c>rectify</c>, <c>erase</c>, <c>restrict</c>, <c>object</c> or <c>withdraw-consent</c>.</param>
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
/// <param name="ExportLink">For <c>export-link</c>: where the link went and until when it works.</param>
/// <param name="Request">The request with its history, the action's entry last (after an export link, the notice that carried it).</param>
internal sealed record RequestActionResponse(string Action, string Detail, ErasureReceiptResponse? Erasure, ExportLinkResponse? ExportLink, RequestDetailResponse Request)
{
    public static RequestActionResponse From(FulfilmentDone done, RequestDetail request) => new(
        done.Action,
        done.Detail,
        done.Erasure is { } receipt ? ErasureReceiptResponse.From(receipt) : null,
        done.ExportLink is { } link ? new ExportLinkResponse(link.SentTo, link.ExpiresAt) : null,
        RequestDetailResponse.From(request));
}

/// <summary>A one-time download link e-mailed to the subject; the link itself is never returned.</summary>
/// <param name="SentTo">The subject's e-mail address on record, masked (<c>a***@example.com</c>).</param>
/// <param name="ExpiresAt">After this instant the link no longer works; it works once before.</param>
internal sealed record ExportLinkResponse(string SentTo, DateTimeOffset ExpiresAt);

/// <summary>A request's completion certificate.</summary>
/// <param name="Certificate">
/// A JWS (compact, ES256, <c>typ</c> <c>request-certificate+jwt</c>) signed by a key published at
/// <c>/.well-known/jwks.json</c>: what was requested and when, the deadline, each step and who took it, how it ended,
/// and which recipients were told. Ids, codes and dates only.
/// </param>
internal sealed record RequestCertificateResponse(string Certificate);
