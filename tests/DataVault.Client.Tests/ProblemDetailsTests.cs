namespace DataVault.Client.Tests;

public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task CreateSubject_InvalidFields_ThrowsBadRequestWithFieldErrors()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var problem = await Assert.ThrowsAsync<DataVaultProblemException<HttpValidationProblemDetails>>(() => vault.CreateSubjectAsync(new CreateSubjectRequest
        {
            Fields = new Dictionary<string, object> { ["email"] = "not-an-email", ["shoe_size"] = "42" },
        }));

        Assert.Equal(400, problem.Status);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Contains(problem.Errors.Keys, k => k.Contains("email", StringComparison.Ordinal));
        Assert.Contains(problem.Errors.Keys, k => k.Contains("shoe_size", StringComparison.Ordinal));
        Assert.All(problem.Errors.Values, messages => Assert.NotEmpty(messages));
        Assert.Contains("400", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-an-email", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSubject_WithoutPurpose_ThrowsBadRequestNamingThePurposeParameter()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());

        var problem = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => vault.GetSubjectForPurposeAsync(subject.Id, string.Empty));

        Assert.Equal(400, problem.Status);
        Assert.Contains("purpose", problem.Errors.Keys);
    }

    [Fact]
    public async Task GetSubject_PurposeNotAllowedForClient_ThrowsForbiddenProblem()
    {
        await using var app = new ClientTestApplication();
        var writer = await app.CreateVaultClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(writer);
        var shop = await app.CreateVaultClientAsync("shop-test", ["subjects.read"], [TestData.ServiceDelivery]);

        var problem = await Assert.ThrowsAsync<DataVaultProblemException<ProblemDetails>>(() => shop.GetSubjectForPurposeAsync(subjectId, TestData.MarketingEmail));

        Assert.Equal(403, problem.Status);
        Assert.Equal("Purpose not allowed", problem.Title);
        Assert.Contains(TestData.MarketingEmail, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSubject_ScopeNotGranted_ThrowsForbidden()
    {
        await using var app = new ClientTestApplication();
        var reader = await app.CreateVaultClientAsync("reader-test", ["subjects.read"]);

        var problem = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => reader.CreateSubjectAsync(TestData.Subject()));

        Assert.Equal(403, problem.Status);
    }

    [Fact]
    public async Task GetSubject_UnknownId_ThrowsNotFoundProblem()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var problem = await Assert.ThrowsAsync<DataVaultProblemException<ProblemDetails>>(
            () => vault.GetSubjectForPurposeAsync("0197a3c4-0000-7000-8000-000000000000", TestData.ServiceDelivery));

        Assert.Equal(404, problem.Status);
        Assert.Equal("Not found", problem.Title);
        Assert.Empty(problem.Errors);
    }

    [Fact]
    public async Task ListSubjectsForPurpose_UnknownPurpose_ThrowsNotFoundProblem()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var problem = await Assert.ThrowsAnyAsync<DataVaultProblemException>(async () =>
        {
            await foreach (var _ in vault.ListAllSubjectsForPurposeAsync("no-such-purpose"))
            {
            }
        });

        Assert.Equal(404, problem.Status);
        Assert.Equal("Purpose not found", problem.Title);
    }

    [Fact]
    public async Task ListPurposes_HttpClientWithoutToken_ThrowsUnauthorizedProblem()
    {
        await using var app = new ClientTestApplication();

        // The generated client over a caller's own HttpClient, here one without the token handler.
        using var http = app.CreateClient();
        var anonymous = new DataVaultApiClient(http);
        var problem = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => anonymous.ListPurposesAsync());

        Assert.Equal(401, problem.Status);
        Assert.Equal("Unauthorized", problem.Title);
        Assert.NotNull(problem.TraceId);
    }

    [Fact]
    public async Task AnyOperation_WrongClientSecret_ThrowsTokenExceptionWithoutTheSecret()
    {
        await using var app = new ClientTestApplication();
        await app.RegisterClientAsync("crm-wrong", ClientTestApplication.ClientScopes);
        const string WrongSecret = "definitely-not-the-secret-0123456789";
        var vault = app.CreateVaultClient("crm-wrong", WrongSecret);

        var problem = await Assert.ThrowsAsync<DataVaultTokenException>(() => vault.ListPurposesAsync());

        Assert.Equal(401, problem.Status);
        Assert.Equal("invalid_client", problem.Error);
        Assert.DoesNotContain(WrongSecret, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyOperation_ScopeNotGrantedRequested_ThrowsInvalidScope()
    {
        await using var app = new ClientTestApplication();
        var secret = await app.RegisterClientAsync("reader-test", ["subjects.read"]);
        var vault = app.CreateVaultClient("reader-test", secret, "audit.read");

        var problem = await Assert.ThrowsAsync<DataVaultTokenException>(() => vault.ListPurposesAsync());

        Assert.Equal(400, problem.Status);
        Assert.Equal("invalid_scope", problem.Error);
    }
}
