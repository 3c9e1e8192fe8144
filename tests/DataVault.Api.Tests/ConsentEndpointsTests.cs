using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static DataVault.Api.Tests.SubjectEndpointsTests;
using static DataVault.Testing.VaultApi;

namespace DataVault.Api.Tests;

/// <summary>Give, read, withdraw, read again: consent-filtered reads end to end through HTTP.</summary>
public sealed class ConsentEndpointsTests
{
    private static readonly object MarketingProfile = new { email = "ana@example.com", given_name = "Ana", preferred_language = "es", interests = new[] { "travel" }, phone = "+34600111222" };

    [Fact]
    public async Task GiveReadWithdrawRead_FieldDisappearsInTheVeryNextRead()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        var before = await ReadAsync(client, id, "marketing-email");
        Assert.Empty(Released(before));
        Assert.All(Withheld(before).Where(w => w.Key != "phone"), w => Assert.Equal("no-consent", w.Value));

        await RecordAsync(client, id, "marketing-email", "given");
        var given = await ReadAsync(client, id, "marketing-email");
        Assert.Equal(["email", "given_name", "interests", "preferred_language"], Released(given).Order());
        Assert.Equal("ana@example.com", given.GetProperty("fields").GetProperty("email").GetProperty("value").GetString());
        Assert.Equal("not-in-purpose", Withheld(given)["phone"]);

        await RecordAsync(client, id, "marketing-email", "withdrawn");
        var withdrawn = await ReadAsync(client, id, "marketing-email");
        Assert.Empty(Released(withdrawn));
        Assert.Equal("no-consent", Withheld(withdrawn)["email"]);
    }

    [Fact]
    public async Task Consent_AfterItsExpiry_IsWithheldAsExpired()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        await RecordAsync(client, id, "marketing-email", "given", expiresAt: time.GetUtcNow().AddMinutes(30));
        Assert.Contains("email", Released(await ReadAsync(client, id, "marketing-email")));

        time.Advance(TimeSpan.FromMinutes(31));

        var expired = await ReadAsync(client, id, "marketing-email");
        Assert.Empty(Released(expired));
        Assert.Equal("expired", Withheld(expired)["email"]);
    }

    [Fact]
    public async Task ConsentState_AsAtAnInstant_AnswersWhatHeldThen()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        var givenAt = time.GetUtcNow();
        await RecordAsync(client, id, "marketing-email", "given", occurredAt: givenAt);
        time.Advance(TimeSpan.FromMinutes(50));
        var withdrawnAt = time.GetUtcNow();
        await RecordAsync(client, id, "marketing-email", "withdrawn", occurredAt: withdrawnAt);

        Assert.Equal("none", await StateAsync(client, id, "marketing-email", givenAt.AddMinutes(-1)));
        Assert.Equal("given", await StateAsync(client, id, "marketing-email", givenAt.AddMinutes(10)));
        Assert.Equal("withdrawn", await StateAsync(client, id, "marketing-email", withdrawnAt.AddSeconds(1)));
        Assert.Equal("withdrawn", await StateAsync(client, id, "marketing-email", null));

        var history = await client.GetWireAsync<ConsentHistory>($"/api/v1/subjects/{id}/consents/history");
        Assert.Equal(["given", "withdrawn"], history.Events.Select(e => e.State));
        Assert.Equal(DataVaultApplication.DefaultClientId, history.Events[0].Actor.Id);
    }

    [Fact]
    public async Task ConsentToAnOlderPurposeVersion_DoesNotCoverTheCurrentOne()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        await RecordAsync(client, id, "marketing-email", "given");
        Assert.NotEmpty(Released(await ReadAsync(client, id, "marketing-email")));

        // As if the purpose definition changed after the subject agreed: the event binds to the old version.
        Scalar(app, $"UPDATE consent_events SET purpose_version = 'previous-version' WHERE subject_id = '{id}';");

        var read = await ReadAsync(client, id, "marketing-email");
        Assert.Empty(Released(read));
        Assert.Equal("no-consent", Withheld(read)["email"]);
        Assert.Equal("outdated-version", await StateAsync(client, id, "marketing-email", null));
    }

    [Fact]
    public async Task GlobalPrivacyControl_ObjectsToSaleOrSharingPurposes()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        await RecordAsync(client, id, "partner-sharing", "given");
        await RecordAsync(client, id, "marketing-email", "given");
        Assert.NotEmpty(Released(await ReadAsync(client, id, "partner-sharing")));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subjects/{id}?purpose=partner-sharing");
        request.Headers.Add("Sec-GPC", "1");
        var response = await client.SendAsync(request);

        var read = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.Empty(Released(read));
        Assert.Equal("objected", Withheld(read)["email"]);
        Assert.NotEmpty(Released(await ReadAsync(client, id, "marketing-email")));
        var state = await client.GetWireAsync<ConsentState>($"/api/v1/subjects/{id}/consents");
        Assert.True(state.Purposes.Single(p => p.PurposeId == "partner-sharing").Objected);
    }

    [Fact]
    public async Task GlobalPrivacyControl_AuditStoreLocked_Returns503AndObjectsToNothing_ThenRecordsAttemptAndOutcome()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();

            // The objection is not written unless its attempt is on record first.
            using var refused = await client.SendAsync(Signalled($"/api/v1/subjects/{id}/consents"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        Assert.Empty(Rows(app, $"SELECT id FROM objection_events WHERE subject_id = '{id}';"));
        using (var applied = await client.SendAsync(Signalled($"/api/v1/subjects/{id}/consents")))
        {
            Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        }

        using (var again = await client.SendAsync(Signalled($"/api/v1/subjects/{id}/consents")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(["objected|gpc|client"], Rows(app, $"SELECT action || '|' || source || '|' || actor_type FROM objection_events WHERE subject_id = '{id}';"));

        // Attempted (naming what it is about to object to), then the outcome; a signal already applied records nothing more.
        // The refused attempt is in the trail only if the audit writer committed it after its deadline, and then as
        // timed-out, never as an attempt that went ahead: how the lock and that deadline interleave is the machine's.
        var entries = app.AuditEntries().Where(e => e.Action == "objection.record" && e.SubjectId == id).Select(e => $"{e.Outcome} {e.Fields}").ToList();
        const string RefusedAttempt = "timed-out gpc:partner-sharing";
        Assert.Equal(["attempted gpc:partner-sharing", "success gpc:partner-sharing"], entries.Where(e => e != RefusedAttempt));
        Assert.InRange(entries.Count(e => e == RefusedAttempt), 0, 1);
    }

    [Fact]
    public async Task RestrictionAndObjection_WithholdAndLiftingReleasesAgain()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        await RecordAsync(client, id, "marketing-email", "given");

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/restriction", new { reason = "accuracy contested" })).StatusCode);
        var restricted = await ReadAsync(client, id, "service-delivery");
        Assert.Empty(Released(restricted));
        Assert.All(Withheld(restricted).Values, reason => Assert.Equal("restricted", reason));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/subjects/{id}/restriction?reason=corrected")).StatusCode);
        Assert.NotEmpty(Released(await ReadAsync(client, id, "service-delivery")));

        await RecordAsync(client, id, "analytics", "given");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { purposeId = "analytics", reason = "asked by phone" })).StatusCode);
        Assert.Equal("objected", Withheld(await ReadAsync(client, id, "analytics"))["interests"]);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/subjects/{id}/objections?purpose=analytics&reason=withdrawn%20by%20phone")).StatusCode);
        Assert.Contains("interests", Released(await ReadAsync(client, id, "analytics")));

        // Who lifted and why is kept with each lift.
        Assert.Equal(
            ["restricted|accuracy contested|client", "lifted|corrected|client"],
            Rows(app, $"SELECT action || '|' || reason || '|' || actor_type FROM restriction_events WHERE subject_id = '{id}' ORDER BY occurred_at, id;"));
        Assert.Equal(
            ["objected|asked by phone|api", "lifted|withdrawn by phone|api"],
            Rows(app, $"SELECT action || '|' || reason || '|' || source FROM objection_events WHERE subject_id = '{id}' ORDER BY occurred_at, id;"));
    }

    [Fact]
    public async Task LiftObjectionToDirectMarketing_ByAnyClient_Returns403AndLiftsNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        await RecordAsync(client, id, "marketing-email", "given");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { purposeId = "marketing-email" })).StatusCode);

        var problem = await AssertProblemAsync(
            await client.DeleteAsync($"/api/v1/subjects/{id}/objections?purpose=marketing-email&reason=customer%20changed%20their%20mind"), HttpStatusCode.Forbidden);

        Assert.Contains("Art. 21(3)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("objected", Withheld(await ReadAsync(client, id, "marketing-email"))["email"]);
        Assert.Equal(["objected"], Rows(app, $"SELECT action FROM objection_events WHERE subject_id = '{id}';"));
        Assert.Contains(app.AuditEntries(), e => e.Action == "objection.lift" && e.SubjectId == id && e.Outcome == "denied");
    }

    [Fact]
    public async Task LiftObjectionRecordedThroughGlobalPrivacyControl_ByAClient_Returns403()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        using (var signal = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subjects/{id}/consents"))
        {
            signal.Headers.Add("Sec-GPC", "1");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(signal)).StatusCode);
        }

        // Even recorded again by the client itself, the browser's objection stays in force until the subject lifts it.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { purposeId = "partner-sharing" })).StatusCode);
        var problem = await AssertProblemAsync(
            await client.DeleteAsync($"/api/v1/subjects/{id}/objections?purpose=partner-sharing&reason=opted%20in%20again"), HttpStatusCode.Forbidden);

        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM objection_events WHERE subject_id = '{id}' AND action = 'lifted';"));
    }

    [Fact]
    public async Task LiftRestrictionRecordedByAnotherClient_Returns403()
    {
        await using var app = new DataVaultApplication();
        using var crm = await app.CreateClientAsync("crm");
        using var shop = await app.CreateClientAsync("web-shop");
        var id = await CreateAsync(crm, MarketingProfile);
        Assert.Equal(HttpStatusCode.NoContent, (await crm.PostAsJsonAsync($"/api/v1/subjects/{id}/restriction", new { reason = "accuracy contested" })).StatusCode);

        var problem = await AssertProblemAsync(await shop.DeleteAsync($"/api/v1/subjects/{id}/restriction?reason=looks%20fine%20to%20us"), HttpStatusCode.Forbidden);

        Assert.Contains("Another system", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["restricted"], Rows(app, $"SELECT action FROM restriction_events WHERE subject_id = '{id}';"));
        Assert.Equal(HttpStatusCode.NoContent, (await crm.DeleteAsync($"/api/v1/subjects/{id}/restriction?reason=corrected")).StatusCode);
    }

    [Fact]
    public async Task LiftWithNothingInForce_Returns204AndRecordsNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/subjects/{id}/restriction?reason=nothing%20to%20lift")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/subjects/{id}/objections?purpose=marketing-email&reason=nothing%20to%20lift")).StatusCode);

        Assert.Equal(0L, Scalar(app, "SELECT (SELECT COUNT(*) FROM restriction_events) + (SELECT COUNT(*) FROM objection_events);"));
    }

    [Fact]
    public async Task RecordConsent_BeforeTheSubjectWasCreated_Returns400UnlessImportedWithEvidence()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        var before = DateTimeOffset.UtcNow.AddDays(-30);

        var fabricated = await client.PostAsJsonAsync($"/api/v1/subjects/{id}/consents", new { purposeId = "marketing-email", state = "given", noticeLanguage = "en", occurredAt = before });
        var problem = await AssertProblemAsync(fabricated, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _), problem.GetRawText());

        var withoutEvidence = await client.PostAsJsonAsync($"/api/v1/subjects/{id}/consents", new { purposeId = "marketing-email", state = "given", noticeLanguage = "en", occurredAt = before, collectionMethod = "import" });
        problem = await AssertProblemAsync(withoutEvidence, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("evidence", out _), problem.GetRawText());
        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM consent_events;"));

        var imported = await client.PostAsJsonAsync(
            $"/api/v1/subjects/{id}/consents",
            new { purposeId = "marketing-email", state = "given", noticeLanguage = "en", occurredAt = before, collectionMethod = "import", evidence = "legacy-crm export 2024-11, row 4411" });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var recorded = await imported.Content.ReadFromJsonAsync<ConsentReceipt>();
        Assert.True(recorded!.Event.Imported);
        Assert.Equal("import", recorded.Event.CollectionMethod);
        Assert.True(recorded.Event.OccurredAt < recorded.Event.RecordedAt.AddDays(-29));
        Assert.True(new JsonWebToken(recorded.Receipt).GetPayloadValue<bool>("imported"));

        var history = await client.GetFromJsonAsync<ConsentHistory>($"/api/v1/subjects/{id}/consents/history");
        Assert.True(Assert.Single(history!.Events).Imported);
        var again = await client.GetFromJsonAsync<ConsentReceipt>($"/api/v1/subjects/{id}/consents/{recorded.Event.Id}/receipt");
        Assert.True(new JsonWebToken(again!.Receipt).GetPayloadValue<bool>("imported"));
    }

    [Fact]
    public async Task RecordConsent_ThroughTheApi_IsNotMarkedImported()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        var recorded = (await RecordAsync(client, id, "marketing-email", "given")).Deserialize<ConsentReceipt>(Json)!;

        Assert.False(recorded.Event.Imported);
        Assert.False(new JsonWebToken(recorded.Receipt).GetPayloadValue<bool>("imported"));
    }

    [Fact]
    public async Task ReadForPurpose_MissingUnknownOrNotAllowed_Returns400Or403()
    {
        await using var app = new DataVaultApplication();
        using var crm = await app.CreateClientAsync("crm-full");
        using var client = await app.CreateClientAsync("crm-limited", purposes: ["service-delivery"]);
        var id = await CreateAsync(crm, MarketingProfile);

        await AssertProblemAsync(await client.GetAsync($"/api/v1/subjects/{id}"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/subjects/{id}?purpose=world-domination"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/subjects/{id}?purpose=marketing-email"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(
            await client.PostAsJsonAsync($"/api/v1/subjects/{id}/consents", new { purposeId = "marketing-email", state = "given", noticeLanguage = "en" }),
            HttpStatusCode.Forbidden);
        await AssertProblemAsync(await client.GetAsync("/api/v1/purposes/marketing-email/subjects"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/subjects/{id}?purpose=service-delivery")).StatusCode);
    }

    [Theory]
    [InlineData("""{"purposeId": "world-domination", "state": "given", "noticeLanguage": "en"}""", "purposeId")]
    [InlineData("""{"purposeId": "marketing-email", "state": "maybe", "noticeLanguage": "en"}""", "state")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "xx"}""", "noticeLanguage")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "collectionMethod": "telepathy"}""", "collectionMethod")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "occurredAt": "2999-01-01T00:00:00Z"}""", "occurredAt")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "occurredAt": "2026-01-02T00:00:00Z", "expiresAt": "2026-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"purposeId": "marketing-email", "state": "withdrawn", "noticeLanguage": "en", "expiresAt": "2999-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "evidence": "form\u0000id"}""", "evidence")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "evidence": "form\u202Edi"}""", "evidence")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "evidence": "form\u2066id\u2069"}""", "evidence")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "evidence": "form\nid"}""", "evidence")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "evidence": "   "}""", "evidence")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "collectionMethod": "import"}""", "evidence")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "occurredAt": "2001-01-01T00:00:00Z"}""", "occurredAt")]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "unexpected": 1}""", null)]
    [InlineData("""{"purposeId": "marketing-email", "state": "given"}""", null)]
    [InlineData("""{"purposeId": "marketing-email", "state": "given", "noticeLanguage": "en", "occurredAt": "yesterday"}""", null)]
    public async Task RecordConsent_BadInput_Returns400AndStoresNothing(string body, string? field)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        var response = await client.PostAsync($"/api/v1/subjects/{id}/consents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        }

        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM consent_events;"));
    }

    [Fact]
    public async Task RecordConsent_ReturnsAReceiptSignedWithAPublishedKey()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);

        var recorded = Wire.Parse<RecordedConsent>((await RecordAsync(client, id, "marketing-email", "given", evidence: "signup-form-v3")).GetRawText());

        var receipt = recorded.Receipt;
        var jwks = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(receipt, new TokenValidationParameters
        {
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidIssuer = "http://localhost",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["consent-receipt+jwt"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.Equal(id, token.GetClaim("piiPrincipalId").Value);
        Assert.Equal("given", token.GetClaim("state").Value);
        Assert.Equal("signup-form-v3", token.GetClaim("evidence").Value);
        Assert.Equal(recorded.Event.Id, token.Id);
        Assert.Contains("marketing-email", token.GetClaim("services").Value, StringComparison.Ordinal);

        var again = await client.GetWireAsync<RecordedConsent>($"/api/v1/subjects/{id}/consents/{token.Id}/receipt");
        Assert.False(string.IsNullOrEmpty(again.Receipt));
    }

    [Fact]
    public async Task ListSubjectsForPurpose_PagesThroughReleasedSubjectsOnly_StableUnderNewWrites()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var consented = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = await CreateAsync(client, new { email = $"user{i}@example.com", given_name = $"User {i}" });
            if (i != 2)
            {
                await RecordAsync(client, id, "marketing-email", "given");
                consented.Add(id);
            }
        }

        var first = await client.GetWireAsync<ReleasedPage>("/api/v1/purposes/marketing-email/subjects?limit=2");
        var seen = first.Items.Select(i => i.Id).ToList();
        Assert.Equal(2, seen.Count);

        // A subject created and consented while the export is under way comes after the cursor.
        var late = await CreateAsync(client, new { email = "late@example.com" });
        await RecordAsync(client, late, "marketing-email", "given");
        consented.Add(late);

        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await client.GetWireAsync<ReleasedPage>($"/api/v1/purposes/marketing-email/subjects?limit=2&cursor={cursor}");
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }

        Assert.Equal(consented, seen);
        Assert.All(first.Items, item => Assert.Equal(["email", "given_name"], item.Fields.Keys.Order()));
    }

    [Theory]
    [InlineData("/api/v1/purposes/marketing-email/subjects?limit=0")]
    [InlineData("/api/v1/purposes/marketing-email/subjects?limit=100000")]
    [InlineData("/api/v1/purposes/marketing-email/subjects?cursor=not-a-cursor")]
    [InlineData("/api/v1/purposes/marketing-email/subjects?limit=abc")]
    public async Task ListSubjectsForPurpose_BadQuery_Returns400(string path)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        await AssertProblemAsync(await client.GetAsync(path), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Erasure_RemovesConsentEvents()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, MarketingProfile);
        await RecordAsync(client, id, "marketing-email", "given");
        await client.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { });

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/v1/subjects/{id}")).StatusCode);

        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM consent_events WHERE subject_id = '{id}';"));
        Assert.Equal(0L, Scalar(app, $"SELECT COUNT(*) FROM objection_events WHERE subject_id = '{id}';"));
        await AssertProblemAsync(await client.GetAsync($"/api/v1/subjects/{id}/consents"), HttpStatusCode.Gone);
    }

    [Fact]
    public async Task ListPurposes_ReturnsTheCatalogueWithVersionsAndTexts()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var purposes = await client.GetWireAsync<PurposeList>("/api/v1/purposes");

        var marketing = purposes.Items.Single(p => p.Id == "marketing-email");
        Assert.Equal("consent", marketing.LawfulBasis);
        Assert.Equal(16, marketing.Version.Length);
        Assert.Equal(5, marketing.Text.Count);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A GET carrying the Global Privacy Control signal, as a client relays it from the subject's browser.</summary>
    private static HttpRequestMessage Signalled(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Sec-GPC", "1");
        return request;
    }

    private static List<string> Rows(DataVaultApplication app, string sql)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private sealed record ConsentReceipt(ConsentEvent Event, string Receipt);

    private static async Task<string> StateAsync(HttpClient client, string id, string purpose, DateTimeOffset? at)
    {
        var query = at is null ? string.Empty : $"?at={Uri.EscapeDataString(at.Value.ToString("O"))}";
        var state = await client.GetWireAsync<ConsentState>($"/api/v1/subjects/{id}/consents{query}");
        return state.Purposes.Single(p => p.PurposeId == purpose).State;
    }

    private sealed record ConsentHistory(IReadOnlyList<ConsentEvent> Events);

    private sealed record ConsentEvent(string Id, string State, Actor Actor, string CollectionMethod, bool Imported, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

    private sealed record Actor(string Id);

    private sealed record ConsentState(IReadOnlyList<PurposeConsent> Purposes);

    private sealed record PurposeConsent(string PurposeId, string State, bool Objected);

    private sealed record RecordedConsent(ConsentEvent Event, string Receipt);

    private sealed record ReleasedPage(IReadOnlyList<ReleasedSubject> Items, string? NextCursor);

    private sealed record ReleasedSubject(string Id, IReadOnlyDictionary<string, JsonElement> Fields);

    private sealed record PurposeList(IReadOnlyList<Purpose> Items);

    /// <summary>A purpose of the catalogue, with its title and description by language.</summary>
    private sealed record Purpose(string Id, string LawfulBasis, string Version, IReadOnlyDictionary<string, JsonElement> Text);
}
