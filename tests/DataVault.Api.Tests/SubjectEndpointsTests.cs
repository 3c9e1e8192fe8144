using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

public sealed class SubjectEndpointsTests
{
    [Fact]
    public async Task CreateSubject_ValidFields_Returns201AndReadsBack()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/subjects", new
        {
            fields = new Dictionary<string, object>
            {
                ["email"] = "Ana.Garcia@Example.com",
                ["given_name"] = "Ana",
                ["phone"] = "+34 600 111 222",
                ["interests"] = new[] { "travel", "books" },
            },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var created = Wire.Parse<SubjectWritten>(body);
        Assert.Equal($"/api/v1/subjects/{created.Id}", response.Headers.Location!.OriginalString);
        Assert.True(Guid.TryParse(created.Id, out var guid) && guid.Version == 7);

        Assert.Equal(1, created.Fields["email"].Version);
        Assert.False(body.Contains("\"value\"", StringComparison.Ordinal), "A write must not echo values back.");

        // service-delivery rests on a contract (Art. 6(1)(b)): no consent needed, but only its own fields.
        var read = await client.GetWireAsync<SubjectRead>($"/api/v1/subjects/{created.Id}?purpose=service-delivery");
        Assert.Equal("Ana.Garcia@Example.com", read.Fields["email"].Value.GetString());
        Assert.Equal("+34600111222", read.Fields["phone"].Value.GetString());
        Assert.Equal(1, read.Fields["email"].Version);
        Assert.False(read.Fields.ContainsKey("interests"));
        Assert.Equal(new WithheldField("interests", "not-in-purpose"), Assert.Single(read.Withheld));
    }

    [Fact]
    public async Task CreateSubject_ValuesAreEncryptedInTheDatabaseFile()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var marker = "plaintext-marker-" + Guid.NewGuid().ToString("N")[..12];

        var response = await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = marker } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var raw = await ReadDatabaseFilesAsync(app);
        Assert.DoesNotContain(marker, Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM field_values WHERE field = 'given_name' AND length(ciphertext) > 29;";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public async Task RectifySubject_NewValue_AddsVersionAndKeepsTheOldOne()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "old@example.com", given_name = "Ana" });

        var response = await client.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { email = "new@example.com" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadWireAsync<SubjectWritten>();
        Assert.Equal(2, body.Fields["email"].Version);
        Assert.Equal(1, body.Fields["given_name"].Version);
        var read = await client.GetWireAsync<SubjectRead>($"/api/v1/subjects/{id}?purpose=service-delivery");
        Assert.Equal("new@example.com", read.Fields["email"].Value.GetString());
        Assert.Equal(2L, Scalar(app, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}' AND field = 'email';"));

        // The blind index follows the latest value only.
        Assert.Empty(await LookupAsync(client, "email=old@example.com&purpose=service-delivery"));
        Assert.Equal([id], await LookupAsync(client, "email=NEW@example.com&purpose=service-delivery"));
    }

    [Fact]
    public async Task RectifySubject_OneInvalidField_ChangesNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "ana@example.com" });

        var response = await client.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { given_name = "Ana", phone = "not a phone" } });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("fields.phone", out _));
        Assert.Equal(1L, Scalar(app, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
    }

    [Fact]
    public async Task CreateSubject_FieldsOutsideTheClientsPurposes_Returns403NamingThemAndStoresNothing()
    {
        await using var app = new DataVaultApplication();
        using var shop = await app.CreateClientAsync("web-shop", purposes: ["marketing-email"]);

        var response = await shop.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = "ana@example.com", phone = "+34600111222", tax_id = "X1234567Z" } });

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(["phone", "tax_id"], problem.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.DoesNotContain("X1234567Z", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM subjects;"));
        var refused = Assert.Single(app.AuditEntries(), e => e.Action == "subject.create" && e.Outcome != "attempted");
        Assert.Equal(("denied", "phone,tax_id"), (refused.Outcome, refused.Fields));
    }

    [Fact]
    public async Task RectifySubject_FieldOutsideTheClientsPurposes_Returns403AndChangesNothing()
    {
        await using var app = new DataVaultApplication();
        using var crm = await app.CreateClientAsync("crm");
        using var shop = await app.CreateClientAsync("web-shop", purposes: ["marketing-email"]);
        var id = await CreateAsync(crm, new { email = "ana@example.com", phone = "+34600111222" });

        var response = await shop.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { email = "new@example.com", phone = "+34600999999" } });

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(["phone"], problem.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(2L, Scalar(app, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
        Assert.Equal(HttpStatusCode.OK, (await shop.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { email = "new@example.com" } })).StatusCode);
    }

    [Fact]
    public async Task FindSubjects_ByEmailAndPhone_MatchesNormalizedValues()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "Lookup@Example.com", phone = "+372 5123 4567" });
        await CreateAsync(client, new { email = "other@example.com" });

        Assert.Equal([id], await LookupAsync(client, "email=%20lookup@EXAMPLE.com%20&purpose=service-delivery"));
        Assert.Equal([id], await LookupAsync(client, "phone=%2B372-5123-4567&purpose=service-delivery"));
        Assert.Empty(await LookupAsync(client, "email=nobody@example.com&purpose=service-delivery"));
    }

    [Fact]
    public async Task FindSubjects_ForAConsentPurpose_AnswersOnlySubjectsItMayProcessNow()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var consented = await CreateAsync(client, new { email = "same@example.com" });
        var notAsked = await CreateAsync(client, new { email = "same@example.com" });
        var restricted = await CreateAsync(client, new { email = "same@example.com" });
        var objected = await CreateAsync(client, new { email = "same@example.com" });
        foreach (var id in new[] { consented, restricted, objected })
        {
            await VaultApi.RecordAsync(client, id, "marketing-email", "given");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{restricted}/restriction", new { reason = "accuracy contested" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{objected}/objections", new { purposeId = "marketing-email" })).StatusCode);

        Assert.Equal([consented], await LookupAsync(client, "email=same@example.com&purpose=marketing-email"));
        Assert.Equal(new[] { consented, notAsked, objected }.Order(), (await LookupAsync(client, "email=same@example.com&purpose=service-delivery")).Order());

        // The look-up is audited for its purpose, with the field searched by and never the value.
        var lookup = app.AuditEntries().First(e => e.Action == "subject.lookup");
        Assert.Equal(("marketing-email", "email", "success"), (lookup.PurposeId, lookup.Fields, lookup.Outcome));
    }

    [Theory]
    [InlineData("?purpose=service-delivery", HttpStatusCode.BadRequest, "query")]
    [InlineData("?email=a@example.com&phone=%2B34600111222&purpose=service-delivery", HttpStatusCode.BadRequest, "query")]
    [InlineData("?email=not-an-email&purpose=service-delivery", HttpStatusCode.BadRequest, "email")]
    [InlineData("?phone=12&purpose=service-delivery", HttpStatusCode.BadRequest, "phone")]
    [InlineData("?email=a@example.com", HttpStatusCode.BadRequest, "purpose")]
    [InlineData("?email=a@example.com&purpose=world-domination", HttpStatusCode.BadRequest, "purpose")]
    [InlineData("?phone=%2B34600111222&purpose=marketing-email", HttpStatusCode.BadRequest, "phone")]
    [InlineData("?email=a@example.com&purpose=analytics", HttpStatusCode.BadRequest, "email")]
    [InlineData("?email=a@example.com&purpose=partner-sharing", HttpStatusCode.Forbidden, null)]
    public async Task FindSubjects_BadQuery_ReturnsProblemNamingTheParameter(string query, HttpStatusCode status, string? parameter)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync(purposes: ["service-delivery", "marketing-email", "analytics"]);

        var response = await client.GetAsync($"/api/v1/subjects{query}");

        var problem = await AssertProblemAsync(response, status);
        if (parameter is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
        }
    }

    [Fact]
    public async Task EraseSubject_Existing_ReturnsReceiptAndSubjectIsGone()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "erase-me@example.com", tax_id = "ESX1234567Z" });

        var response = await client.DeleteAsync($"/api/v1/subjects/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadWireAsync<ErasureReceipt>();
        Assert.Equal(id, receipt.SubjectId);
        Assert.Equal(["standard"], receipt.ShreddedKeyGroups);
        Assert.Equal("legal-hold", receipt.RetainedKeyGroups[0].KeyGroup);

        await AssertProblemAsync(await client.GetAsync($"/api/v1/subjects/{id}?purpose=service-delivery"), HttpStatusCode.Gone);
        await AssertProblemAsync(await client.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { given_name = "X" } }), HttpStatusCode.Gone);
        await AssertProblemAsync(await client.DeleteAsync($"/api/v1/subjects/{id}"), HttpStatusCode.Gone);
        Assert.Empty(await LookupAsync(client, "email=erase-me@example.com&purpose=service-delivery"));
    }

    [Fact]
    public async Task EraseSubject_RawDatabaseFile_HoldsNoCiphertextOrKeyOfTheSubject()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "shred@example.com", given_name = "Zyxwvu Shred", interests = new[] { "music" } });
        await client.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { given_name = "Zyxwvu Again" } });

        var ciphertexts = Blobs(app, $"SELECT ciphertext FROM field_values WHERE subject_id = '{id}';");
        var keys = Blobs(app, $"SELECT wrapped_key FROM data_keys WHERE subject_id = '{id}';");
        Assert.Equal(4, ciphertexts.Count);
        Assert.Single(keys);
        var before = await ReadDatabaseFilesAsync(app);
        Assert.All(ciphertexts.Concat(keys), s => Assert.True(ContainsSequence(before, s[^24..])));

        var erased = await client.DeleteAsync($"/api/v1/subjects/{id}");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);

        // Acknowledged: the key is overwritten and the log truncated, so the ciphertexts are unreadable.
        // The last 24 bytes of a ciphertext or wrapped key are random enough never to occur by chance.
        var afterErasure = await ReadDatabaseFilesAsync(app);
        Assert.All(keys, k => Assert.False(ContainsSequence(afterErasure, k[^24..]), "A wrapped key of the erased subject is still in the database file."));

        // The ciphertexts go with the background purge.
        await app.Services.GetRequiredService<VaultWriter>().PurgeAsync(CancellationToken.None);
        var raw = await ReadDatabaseFilesAsync(app);
        foreach (var secret in ciphertexts)
        {
            Assert.False(ContainsSequence(raw, secret[^24..]), "A ciphertext of the erased subject is still in the database file.");
        }

        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{id}';"));
        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM blind_index WHERE subject_id = '{id}';"));
        Assert.Equal("erased", Scalar(app, $"SELECT status FROM subjects WHERE id = '{id}';"));
    }

    [Theory]
    [InlineData("GET", "00000000-0000-7000-8000-000000000000")]
    [InlineData("GET", "not-a-subject")]
    [InlineData("GET", "..%2F..%2Fetc%2Fpasswd")]
    [InlineData("GET", "%2E%2E")]
    [InlineData("GET", "0198C8A4-0000-7000-8000-000000000000")]
    [InlineData("GET", "6f9619ff-8b86-4011-b42d-00cf4fc964ff")]
    [InlineData("DELETE", "00000000-0000-7000-8000-000000000000")]
    [InlineData("DELETE", "%2500")]
    [InlineData("PATCH", "00000000-0000-7000-8000-000000000000")]
    public async Task SubjectRoutes_UnknownOrMalformedId_Return404Problem(string method, string id)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/subjects/{id}?purpose=service-delivery");
        if (method == "PATCH")
        {
            request.Content = JsonContent.Create(new { fields = new { given_name = "Ana" } });
        }

        var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SubjectRoutes_WithoutAuthentication_Return401AndServeNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { } })).StatusCode);

        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/subjects/00000000-0000-7000-8000-000000000000")).StatusCode);
        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM subjects;"));
    }

    [Fact]
    public async Task EraseSubject_WithoutBeingAsked_PurgesTheCiphertextsInTheBackground()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "purge@example.com", given_name = "Ana" });
        var other = await CreateAsync(client, new { email = "stays@example.com", given_name = "Bea" });

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/v1/subjects/{id}")).StatusCode);

        // The purge runs once the writer is idle; bounded so that a purge that never runs fails the test.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)Scalar(app, "SELECT COUNT(*) FROM ciphertext_purges;")! > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM ciphertext_purges;"));
        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
        Assert.Equal(2L, Scalar(app, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{other}';"));
    }

    internal static async Task<string> CreateAsync(HttpClient client, object fields)
    {
        var response = await client.PostAsJsonAsync("/api/v1/subjects", new { fields });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadWireAsync<SubjectWritten>()).Id;
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    internal static object? Scalar(DataVaultApplication app, string sql)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static async Task<string[]> LookupAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/subjects?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadWireAsync<SubjectLookup>();
        return [.. body.Items.Select(i => i.Id)];
    }

    private static List<byte[]> Blobs(DataVaultApplication app, string sql)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var blobs = new List<byte[]>();
        while (reader.Read())
        {
            blobs.Add((byte[])reader[0]);
        }

        return blobs;
    }

    private static async Task<byte[]> ReadDatabaseFilesAsync(DataVaultApplication app)
    {
        using var all = new MemoryStream();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            var path = app.DatabasePath + suffix;
            if (File.Exists(path))
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await file.CopyToAsync(all);
            }
        }

        return all.ToArray();
    }

    private static bool ContainsSequence(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>A subject after a write: the version of each field, never its value.</summary>
    private sealed record SubjectWritten(string Id, IReadOnlyDictionary<string, FieldVersion> Fields);

    private sealed record FieldVersion(int Version);

    /// <summary>A read for a purpose: the released fields by name, and the others with the reason.</summary>
    private sealed record SubjectRead(IReadOnlyDictionary<string, ReleasedField> Fields, IReadOnlyList<WithheldField> Withheld);

    /// <summary>A released value: a string, or an array of strings for list fields.</summary>
    private sealed record ReleasedField(JsonElement Value, int Version);

    private sealed record WithheldField(string Field, string Reason);

    private sealed record ErasureReceipt(string SubjectId, IReadOnlyList<string> ShreddedKeyGroups, IReadOnlyList<RetainedKeyGroup> RetainedKeyGroups);

    private sealed record RetainedKeyGroup(string KeyGroup);

    private sealed record SubjectLookup(IReadOnlyList<SubjectReference> Items);

    private sealed record SubjectReference(string Id);
}
