using System.Text;
using System.Text.Json;
using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>The compliance officer's view of the audit trail: search, export, verify (scope <c>audit.read</c>).</summary>
internal static class AuditEndpoints
{
    private const int MaxPageSize = 500;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit")
            .WithTags("Audit")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapGet("/", Search)
            .WithName("SearchAudit")
            .Audited(AuditActions.AuditSearch)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("Search the audit trail")
            .WithDescription("Entries matching every filter given, newest first, cursor-paginated. `from` is inclusive, `to` exclusive. `request` finds every entry made for a data-subject request: the actions taken to answer it (GDPR Art. 12(3)).")
            .ProducesValidationProblem();

        group.MapGet("/export", Export)
            .WithName("ExportAudit")
            .Audited(AuditActions.AuditExport)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("Export the audit trail")
            .WithDescription("Every entry matching the filters, newest first, streamed as JSON lines (`format=jsonl`, default) or CSV (`format=csv`).")
            .Produces<Stream>(StatusCodes.Status200OK, "application/jsonl", "text/csv")
            .ProducesValidationProblem();

        group.MapPost("/verification", Verify)
            .WithName("VerifyAudit")
            .Audited(AuditActions.AuditVerify)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("Verify the audit trail")
            .WithDescription("Recomputes the hash chain and checks every signed checkpoint, and any exported checkpoints sent in the body; reports the first bad sequence number.")
            .ProducesValidationProblem();

        group.MapGet("/checkpoints", ListCheckpoints)
            .WithName("ListAuditCheckpoints")
            .Audited(AuditActions.AuditExport)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("Signed checkpoints of the audit trail")
            .WithDescription("Every signed checkpoint, to keep outside the database and send back to verification later.");
    }

    internal static Results<Ok<AuditPageResponse>, ProblemHttpResult> Search(
        [FromQuery] string? subject, [FromQuery] string? actor, [FromQuery] string? purpose, [FromQuery] string? action,
        [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] long? cursor, [FromQuery] int? limit,
        [FromQuery] string? request, AuditQueryService audit)
    {
        var size = limit ?? 100;
        if (size is < 1 or > MaxPageSize)
        {
            return Problems.Invalid("limit", $"Must be between 1 and {MaxPageSize}.");
        }

        if (cursor is < 1)
        {
            return Problems.Invalid("cursor", "Is not a cursor returned by this operation.");
        }

        var entries = audit.Search(new AuditQuery(subject, actor, purpose, action, from, to, cursor, RequestId: request), size);
        return TypedResults.Ok(new AuditPageResponse(
            entries.Select(AuditEntryResponse.From).ToList(),
            entries.Count == size ? entries[^1].Sequence : null));
    }

    internal static Results<PushStreamHttpResult, ProblemHttpResult> Export(
        [FromQuery] string? subject, [FromQuery] string? actor, [FromQuery] string? purpose, [FromQuery] string? action,
        [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] string? format,
        [FromQuery] string? request, AuditQueryService audit)
    {
        var query = new AuditQuery(subject, actor, purpose, action, from, to, RequestId: request);
        return (format ?? "jsonl") switch
        {
            "jsonl" => TypedResults.Stream(stream => WriteJsonLinesAsync(stream, audit, query), "application/jsonl", "audit.jsonl"),
            "csv" => TypedResults.Stream(stream => AuditCsv.WriteAsync(stream, audit.StreamAsync(query, CancellationToken.None), CancellationToken.None), "text/csv", "audit.csv"),
            _ => Problems.Invalid("format", "Must be jsonl or csv."),
        };
    }

    internal static Results<Ok<AuditVerificationResponse>, ProblemHttpResult> Verify(AuditVerificationRequest? request, AuditQueryService audit)
    {
        var external = new List<AuditCheckpoint>();
        foreach (var checkpoint in request?.Checkpoints ?? [])
        {
            if (checkpoint.Hash.Length != 64 || !checkpoint.Hash.All(char.IsAsciiHexDigit) || checkpoint.Sequence < 1)
            {
                return Problems.Invalid("checkpoints", "Each checkpoint needs a sequence of at least 1 and a 64-digit hex hash, as exported.");
            }

            external.Add(checkpoint.ToCheckpoint());
        }

        return TypedResults.Ok(AuditVerificationResponse.From(audit.Verify(external)));
    }

    internal static Ok<IReadOnlyList<AuditCheckpointResponse>> ListCheckpoints(AuditQueryService audit) =>
        TypedResults.Ok<IReadOnlyList<AuditCheckpointResponse>>(audit.Checkpoints().Select(AuditCheckpointResponse.From).ToList());

    private static async Task WriteJsonLinesAsync(Stream stream, AuditQueryService audit, AuditQuery query)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        await foreach (var entry in audit.StreamAsync(query, CancellationToken.None))
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(AuditEntryResponse.From(entry), JsonSerializerOptions.Web));
        }
    }
}
