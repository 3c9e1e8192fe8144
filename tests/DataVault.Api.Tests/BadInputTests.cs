using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static DataVault.Api.Tests.SubjectEndpointsTests;

namespace DataVault.Api.Tests;

/// <summary>Malformed input gets a clear Problem Details answer and never a 500 or a partial write.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string> BadCreateBodies => new()
    {
        { "malformed JSON", """{"fields": {"email": "a@example.com" """ },
        { "not an object", """[1, 2, 3]""" },
        { "fields is an array", """{"fields": ["email"]}""" },
        { "fields is null", """{"fields": null}""" },
        { "fields missing", """{}""" },
        { "unknown top-level property", """{"fields": {}, "admin": true}""" },
        { "duplicate property", """{"fields": {}, "fields": {}}""" },
        { "unknown field", """{"fields": {"shoe_size": "42"}}""" },
        { "invalid field name", """{"fields": {"../../etc": "x"}}""" },
        { "number for a string field", """{"fields": {"given_name": 42}}""" },
        { "object for a string field", """{"fields": {"given_name": {"first": "Ana"}}}""" },
        { "null value", """{"fields": {"given_name": null}}""" },
        { "empty string", """{"fields": {"given_name": "   "}}""" },
        { "invalid email", """{"fields": {"email": "not-an-email"}}""" },
        { "invalid phone", """{"fields": {"phone": "call me"}}""" },
        { "impossible date", """{"fields": {"birth_date": "2001-02-30"}}""" },
        { "future birth date", """{"fields": {"birth_date": "2999-01-01"}}""" },
        { "unknown language", """{"fields": {"preferred_language": "xx"}}""" },
        { "interest not in list", """{"fields": {"interests": ["skydiving-on-mars"]}}""" },
        { "list with a number", """{"fields": {"interests": [1]}}""" },
        { "control character", """{"fields": {"given_name": "An\u0000a"}}""" },
        { "escape character", """{"fields": {"given_name": "An\u001b[31ma"}}""" },
        { "line break in single-line field", """{"fields": {"given_name": "Ana\nBelén"}}""" },
        { "bidi override", """{"fields": {"given_name": "Ana\u202Eevil"}}""" },
        { "lone surrogate", """{"fields": {"given_name": "Ana\uD800"}}""" },
        { "huge string", "{\"fields\": {\"given_name\": \"" + new string('a', 5000) + "\"}}" },
        { "one valid and one invalid field", """{"fields": {"given_name": "Ana", "email": "nope"}}""" },
    };

    [Theory]
    [MemberData(nameof(BadCreateBodies))]
    public async Task CreateSubject_BadBody_Returns400AndStoresNothing(string scenario, string body)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var response = await client.PostAsync("/api/v1/subjects", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = (await AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetRawText();
        Assert.DoesNotContain("Exception", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("DataVault.", problem, StringComparison.Ordinal);
        Assert.True(0L.Equals(Scalar(app, "SELECT COUNT(*) FROM subjects;")), scenario);
        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM field_values;"));
    }

    [Fact]
    public async Task CreateSubject_InvalidValue_ErrorNamesTheFieldButNotTheValue()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = "secret-value-not-an-email" } });

        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("fields.email", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSubject_OversizedBody_Returns413()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var body = "{\"fields\": {\"given_name\": \"" + new string('a', 70_000) + "\"}}";

        var response = await client.PostAsync("/api/v1/subjects", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM subjects;"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task CreateSubject_WrongContentType_Returns415(string contentType)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var response = await client.PostAsync("/api/v1/subjects", new StringContent("""{"fields": {}}""", Encoding.UTF8, contentType));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM subjects;"));
    }

    [Fact]
    public async Task CreateSubject_EmptyBody_Returns400()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var response = await client.PostAsync("/api/v1/subjects", new StringContent(string.Empty, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RectifySubject_EmptyFields_Returns400()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { given_name = "Ana" });

        var response = await client.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { } });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RectifySubject_MalformedJson_Returns400AndChangesNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { given_name = "Ana" });

        var response = await client.PatchAsync($"/api/v1/subjects/{id}", new StringContent("""{"fields": {"given_name": }""", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{id}?purpose=service-delivery");
        Assert.Equal(1, read.GetProperty("fields").GetProperty("given_name").GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/subjects/a/b/c")]
    public async Task UnknownRoute_Returns404Problem(string path)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        await AssertProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        await AssertProblemAsync(await client.PutAsJsonAsync("/api/v1/subjects", new { }), HttpStatusCode.MethodNotAllowed);
    }
}
