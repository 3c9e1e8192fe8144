using System.Text.Json;
using DataVault.Api.Auditing;
using DataVault.Api.Endpoints;
using DataVault.Policies;
using DataVault.Vault.Clients;
using DataVault.Vault.Release;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>
/// The subject handlers called as plain methods, without HTTP: who calls (<see cref="CurrentCaller"/>) and what the
/// audit entry will say (<see cref="AuditDetails"/>) are services the test hands them and reads back.
/// </summary>
public sealed class SubjectHandlerTests
{
    [Fact]
    public async Task CreateSubject_FieldsOutsideTheClientsPurposes_Returns403AndLeavesTheirNamesForTheAuditEntry()
    {
        await using var app = new DataVaultApplication();
        await using var scope = app.Services.CreateAsyncScope();
        var audit = new AuditDetails();
        var request = new CreateSubjectRequest(Fields(("email", "ana@example.com"), ("tax_id", "ESX1234567Z"), ("birth_date", "1990-05-01")));

        var result = await SubjectEndpoints.CreateSubject(
            request,
            scope.ServiceProvider.GetRequiredService<SubjectService>(),
            scope.ServiceProvider.GetRequiredService<PolicyCatalogue>(),
            Caller("service-delivery"),
            audit,
            CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result.Result);
        Assert.Equal(StatusCodes.Status403Forbidden, problem.StatusCode);
        Assert.Equal("birth_date,tax_id", audit.Fields);
        Assert.Null(audit.SubjectId);
        using var connection = app.OpenDatabase();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM subjects;";
        Assert.Equal(0L, count.ExecuteScalar());
    }

    [Fact]
    public async Task GetSubject_ForAPurposeTheClientHolds_ReleasesItsFieldsAndNamesReleasedAndWithheldForTheAuditEntry()
    {
        await using var app = new DataVaultApplication();
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(
            Fields(("email", "ana@example.com"), ("given_name", "Ana"), ("tax_id", "ESX1234567Z")), CancellationToken.None);
        var audit = new AuditDetails();

        var result = await SubjectEndpoints.GetSubject(
            created.Value!.Id,
            "service-delivery",
            Caller("service-delivery"),
            audit,
            scope.ServiceProvider.GetRequiredService<PolicyCatalogue>(),
            scope.ServiceProvider.GetRequiredService<ReleaseReader>(),
            CancellationToken.None);

        var read = Assert.IsType<Ok<ReleasedSubjectResponse>>(result.Result).Value!;
        Assert.Equal(["email", "given_name"], read.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("email,given_name", audit.Fields);
        Assert.Equal("tax_id:not-in-purpose", audit.Withheld);
    }

    [Fact]
    public async Task GetSubject_ForAPurposeTheClientDoesNotHold_Returns403WithoutReading()
    {
        await using var app = new DataVaultApplication();
        await using var scope = app.Services.CreateAsyncScope();
        var audit = new AuditDetails();

        var result = await SubjectEndpoints.GetSubject(
            SubjectId.New(TimeProvider.System),
            "marketing-email",
            Caller("service-delivery"),
            audit,
            scope.ServiceProvider.GetRequiredService<PolicyCatalogue>(),
            scope.ServiceProvider.GetRequiredService<ReleaseReader>(),
            CancellationToken.None);

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsType<ProblemHttpResult>(result.Result).StatusCode);
        Assert.Null(audit.Fields);
    }

    /// <summary>A client registered for <paramref name="purposes"/>, as the host sets it once the client's token is validated.</summary>
    private static CurrentCaller Caller(params string[] purposes)
    {
        var caller = new CurrentCaller();
        var now = DateTimeOffset.UtcNow;
        caller.SetClient(new ClientInfo("crm-eu", "EU CRM", [.. Scopes.All], purposes, now, now, null));
        return caller;
    }

    private static Dictionary<string, JsonElement> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => JsonSerializer.SerializeToElement(f.Value));
}
