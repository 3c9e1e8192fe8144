using System.Net.Http.Json;
using System.Net;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>"My data": the customer sees every field held on them and corrects one (GDPR Art. 16) through the API's own validation.</summary>
public sealed class MyDataPageTests
{
    private static readonly object Profile = new
    {
        email = "ana.data@example.com",
        family_name = "Arbós",
        birth_date = "1985-04-23",
        interests = new[] { "books", "travel" },
        preferred_language = "ca",
    };

    [Fact]
    public async Task Data_ShowsEveryFieldHeld_WithCategoryPurposesAndSince_AndAuditsTheRead()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        var (status, page) = await customer.GetAsync("/my/data");

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var text in new[] { "Email address", "ana.data@example.com", "Arbós", "1985-04-23", "Books, Travel", "Català", "Contact details", "Date of birth", "Marketing emails" })
        {
            Assert.Contains(text, page, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"/my/data?edit=email#field-email\"", page, StringComparison.Ordinal);

        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "subject.read");
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
        Assert.Contains("birth_date", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_SaysHowLongEachFieldIsKept_AndWhy_AsTheRetentionRuleDecides()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        var (_, before) = await customer.GetAsync("/my/data");

        Assert.Matches("id=\"field-family_name\"[\\s\\S]*?<dd class=\"kept\">Kept while Providing our service may use it.</dd>", before);
        Assert.Matches("id=\"field-birth_date\"[\\s\\S]*?<dd class=\"kept\">No purpose has started using it, so no retention period is running.</dd>", before);

        using var ended = await customer.Api.PostAsJsonAsync(
            $"/api/v1/subjects/{customer.SubjectId}/relationships", new { purposeId = "service-delivery", endedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero) });
        Assert.Equal(HttpStatusCode.Created, ended.StatusCode);

        var (_, after) = await customer.GetAsync("/my/data");

        Assert.Matches("id=\"field-family_name\"[\\s\\S]*?<dd class=\"kept\">Kept until [^<]*2028, because of Providing our service: 2 years after our relationship with you ended.</dd>", after);
    }

    [Fact]
    public async Task Data_InSpanish_SaysHowLongAFieldIsKept()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, "es");

        var (_, page) = await customer.GetAsync("/my/data");

        Assert.Contains("Cuánto tiempo lo conservamos", page, StringComparison.Ordinal);
        Assert.Contains("Ninguna finalidad ha empezado a usarlo", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Mis datos", "Correo electrónico", "Correos electrónicos de marketing")]
    [InlineData("et", "Minu andmed", "E-posti aadress", "Turunduslikud e-kirjad")]
    public async Task Data_InTheCustomersLanguage_ShowsCatalogueTexts(string language, string heading, string fieldTitle, string purposeTitle)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, language);

        var (_, page) = await customer.GetAsync("/my/data");

        Assert.Contains(heading, page, StringComparison.Ordinal);
        Assert.Contains(fieldTitle, page, StringComparison.Ordinal);
        Assert.Contains(purposeTitle, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "email", "ana.example.com", "An e-mail address has exactly one @.")]
    [InlineData("es", "email", "ana.example.com", "Una dirección de correo electrónico lleva exactamente una @.")]
    [InlineData("et", "birth_date", "2999-01-01", "Kuupäev ei tohi olla tulevikus.")]
    [InlineData("es", "family_name", "   ", "Introduce un valor.")]
    public async Task Correct_InvalidValue_ShowsTheTranslatedErrorNextToTheField_AndChangesNothing(string language, string field, string value, string message)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, language);

        using var response = await customer.Browser.SubmitAsync(
            $"/my/data?edit={field}", SignedInCustomer.Form(("Input.Field", field), ("Input.Value", value)), "/my/data?handler=Correct");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await SignedInCustomer.TextAsync(response);
        Assert.Contains($"<span class=\"field-error\" id=\"error-{field}\">{message}</span>", page, StringComparison.Ordinal);
        Assert.Matches($"aria-invalid=\"true\" aria-describedby=\"[^\"]*error-{field}\"", page);
        Assert.DoesNotContain("must ", page, StringComparison.Ordinal);
        var read = await ReadAsync(customer.Api, customer.SubjectId, "service-delivery");
        Assert.Equal("ana.data@example.com", SignedInCustomer.FieldValue(read, "email"));
        Assert.Equal("Arbós", SignedInCustomer.FieldValue(read, "family_name"));
        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "subject.rectify");
        Assert.Contains("\"outcome\":\"attempted\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"invalid\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_UsedFor_NamesOnlyThePurposesThatMayUseTheFieldNow_AndThoseWaitingForConsent()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        var (_, before) = await customer.GetAsync("/my/data");
        await RecordAsync(customer.Api, customer.SubjectId, "marketing-email", "given");
        var (_, after) = await customer.GetAsync("/my/data");

        var email = Section(before, "field-email");
        Assert.Equal(["Invoicing and tax records", "Providing our service"], UsedNow(email));
        Assert.Contains("Only with your consent, which you have not given: Marketing emails, Sharing with selected partners.", email, StringComparison.Ordinal);
        Assert.Equal(["No purpose uses it at present."], UsedNow(Section(before, "field-birth_date")));
        Assert.Equal(["Invoicing and tax records", "Marketing emails", "Providing our service"], UsedNow(Section(after, "field-email")));
        Assert.Contains("Only with your consent, which you have not given: Sharing with selected partners.", Section(after, "field-email"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_Fields_InTheCatalogueOrder_NameFirstAndBillingLast()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new
        {
            email = "ana.data@example.com",
            billing_name = "Ana Arbós",
            phone = "+34600111222",
            family_name = "Arbós",
            postal_address = "Carrer Major 1, Girona",
            interests = new[] { "books" },
        });

        var (_, page) = await customer.GetAsync("/my/data");

        var order = new[] { "field-given_name", "field-family_name", "field-email", "field-phone", "field-postal_address", "field-interests", "field-billing_name" }
            .Select(id => page.IndexOf($"id=\"{id}\"", StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Theory]
    [InlineData("en", "Books, Travel", "Cinema")]
    [InlineData("es", "Libros, Viajes", "Cine")]
    [InlineData("ca", "Llibres, Viatges", "Cinema")]
    [InlineData("it", "Libri, Viaggi", "Cinema")]
    [InlineData("et", "Raamatud, Reisimine", "Kino")]
    public async Task Data_Interests_ShownInTheCustomersLanguage_AndChosenByTheirTitles(string language, string shown, string choice)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, language);

        var (_, page) = await customer.GetAsync("/my/data");
        var (_, editing) = await customer.GetAsync("/my/data?edit=interests");

        Assert.Contains($"<dd class=\"value\">{shown}</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<label for=\"value-interests-cinema\">{choice}</label>", editing, StringComparison.Ordinal);
        Assert.Contains("value=\"cinema\"", editing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_AMissingFieldAPurposeUsesNow_IsStored_AuditedAsACompletion_AndShown()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        app.Monitor.Remember("+34600111222");

        var (_, offered) = await customer.GetAsync("/my/data?add=phone");
        using var added = await customer.Browser.SubmitAsync(
            "/my/data?add=phone", SignedInCustomer.Form(("Input.Field", "phone"), ("Input.Value", "+34 600 111 222")), "/my/data?handler=Add");

        Assert.Contains("id=\"add-phone\"", offered, StringComparison.Ordinal);
        Assert.Contains("<label for=\"value-phone\">Phone number</label>", offered, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/my/data?added=phone", added.Headers.Location!.OriginalString);
        var (_, page) = await customer.GetAsync("/my/data?added=phone");
        Assert.Contains("Your Phone number has been added.", page, StringComparison.Ordinal);
        Assert.Contains("<dd class=\"value\">+34600111222</dd>", Section(page, "field-phone"), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"add-phone\"", page, StringComparison.Ordinal);
        Assert.Equal("+34600111222", SignedInCustomer.FieldValue(await ReadAsync(customer.Api, customer.SubjectId, "service-delivery"), "phone"));
        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "subject.rectify");
        Assert.Contains("\"fields\":\"phone\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_OnlyFieldsAPurposeOtherThanALegalObligationUsesNow_AreOffered()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana.data@example.com" });

        var (_, before) = await customer.GetAsync("/my/data");
        using var refused = await customer.Browser.SubmitAsync(
            "/my/data", SignedInCustomer.Form(("Input.Field", "tax_id"), ("Input.Value", "ES12345678Z")), "/my/data?handler=Add");
        await RecordAsync(customer.Api, customer.SubjectId, "analytics", "given");
        var (_, after) = await customer.GetAsync("/my/data");

        Assert.Contains("id=\"add-phone\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"add-birth_date\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"add-tax_id\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"add-billing_name\"", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(SignedInCustomer.FieldValue(await ReadAsync(customer.Api, customer.SubjectId, "legal-obligation-invoicing"), "tax_id"));
        Assert.Contains("id=\"add-birth_date\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_AFieldAlreadyHeld_IsRefused()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        using var response = await customer.Browser.SubmitAsync(
            "/my/data", SignedInCustomer.Form(("Input.Field", "email"), ("Input.Value", "other@example.com")), "/my/data?handler=Add");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ana.data@example.com", SignedInCustomer.FieldValue(await ReadAsync(customer.Api, customer.SubjectId, "service-delivery"), "email"));
    }

    /// <summary>The HTML of the section with <paramref name="id"/>.</summary>
    private static string Section(string page, string id)
    {
        var start = page.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {id}.");
        return page[start..page.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    /// <summary>The purposes a field's "Used for" lists (or its "none" sentence), in the page's order.</summary>
    private static List<string> UsedNow(string section)
    {
        var usedFor = section[section.IndexOf("Used for", StringComparison.Ordinal)..];
        usedFor = usedFor[..usedFor.IndexOf("</dd>", StringComparison.Ordinal)];
        var items = System.Text.RegularExpressions.Regex.Matches(usedFor, "<li>(.*?)</li>").Select(m => m.Groups[1].Value).ToList();
        return items.Count > 0 ? items : [System.Text.RegularExpressions.Regex.Match(usedFor, "<p>(.*?)</p>").Groups[1].Value];
    }

    [Fact]
    public async Task Correct_ValidValues_ChangeTheFields_AndAreAuditedWithoutTheValue()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        app.Monitor.Remember("ana.new@example.com");

        using var corrected = await customer.Browser.SubmitAsync(
            "/my/data?edit=email", SignedInCustomer.Form(("Input.Field", "email"), ("Input.Value", "ana.new@example.com")), "/my/data?handler=Correct");
        using var interests = await customer.Browser.SubmitAsync(
            "/my/data?edit=interests",
            new Dictionary<string, string> { ["Input.Field"] = "interests", ["Input.Values"] = "cinema" },
            "/my/data?handler=Correct");

        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        Assert.Equal("/my/data?corrected=email", corrected.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, interests.StatusCode);
        var read = await ReadAsync(customer.Api, customer.SubjectId, "service-delivery");
        Assert.Equal("ana.new@example.com", SignedInCustomer.FieldValue(read, "email"));
        var (_, page) = await customer.GetAsync("/my/data?corrected=email");
        Assert.Contains("Your Email address has been corrected.", page, StringComparison.Ordinal);
        Assert.Contains("ana.new@example.com", page, StringComparison.Ordinal);
        Assert.Contains("<dd class=\"value\">Cinema</dd>", page, StringComparison.Ordinal);
        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "subject.rectify");
        Assert.Contains("\"outcome\":\"attempted\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"success\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"fields\":\"email\"", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("no_such_field", "x")]
    [InlineData("tax_id", "ES12345678Z")]
    public async Task Correct_AFieldThePageDoesNotOffer_IsRefused_AndChangesNothing(string field, string value)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        using var response = await customer.Browser.SubmitAsync(
            "/my/data", SignedInCustomer.Form(("Input.Field", field), ("Input.Value", value)), "/my/data?handler=Correct");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var read = await ReadAsync(customer.Api, customer.SubjectId, "legal-obligation-invoicing");
        Assert.Null(SignedInCustomer.FieldValue(read, "tax_id"));
    }

    [Fact]
    public async Task Correct_AListWithAnEmptyItem_IgnoresTheEmptyItem()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        var (_, page) = await customer.GetAsync("/my/data?edit=interests");

        using var response = await customer.Browser.PostAsync(
            "/my/data?handler=Correct",
            new Dictionary<string, string> { ["Input.Field"] = "interests", ["Input.Values"] = string.Empty },
            PortalBrowser.AntiforgeryToken(page));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"Answered {(int)response.StatusCode}.");
    }

    [Fact]
    public async Task Data_AnotherCustomersSubjectInTheQueryOrForm_IsNeverShownNorChanged()
    {
        await using var app = new DataVaultApplication();
        using var a = await SignedInCustomer.CreateAsync(app, new { email = "a.data@example.com" }, clientId: "crm-a");
        using var b = await SignedInCustomer.CreateAsync(app, new { email = "b.data@example.com", family_name = "Bee" }, clientId: "crm-b");

        foreach (var path in new[] { $"/my/data?subjectId={b.SubjectId}", $"/my/data?id={b.SubjectId}&edit=email", $"/my/data/{b.SubjectId}" })
        {
            var (_, page) = await a.GetAsync(path);
            Assert.DoesNotContain("b.data@example.com", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Bee", page, StringComparison.Ordinal);
        }

        using var tampered = await a.Browser.SubmitAsync(
            "/my/data?edit=email",
            SignedInCustomer.Form(("Input.Field", "email"), ("Input.Value", "hijack@example.com"), ("subjectId", b.SubjectId), ("Input.SubjectId", b.SubjectId), ("SubjectId", b.SubjectId)),
            $"/my/data?handler=Correct&subjectId={b.SubjectId}");

        var readB = await ReadAsync(b.Api, b.SubjectId, "service-delivery");
        Assert.Equal("b.data@example.com", SignedInCustomer.FieldValue(readB, "email"));
        var readA = await ReadAsync(a.Api, a.SubjectId, "service-delivery");
        Assert.Equal("hijack@example.com", SignedInCustomer.FieldValue(readA, "email"));
    }

    [Fact]
    public async Task Data_AuditTrailUnavailable_Answers503_AndShowsNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        var token = PortalBrowser.AntiforgeryToken((await customer.GetAsync("/my/data?edit=email")).Html);

        using (SignedInCustomer.LockAuditTrail(app))
        {
            using var response = await customer.Browser.Http.GetAsync("/my/data");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.DoesNotContain("ana.data@example.com", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var change = await customer.Browser.PostAsync(
                "/my/data?handler=Correct", SignedInCustomer.Form(("Input.Field", "email"), ("Input.Value", "changed@example.com")), token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, change.StatusCode);
        }

        var read = await ReadAsync(customer.Api, customer.SubjectId, "service-delivery");
        Assert.Equal("ana.data@example.com", SignedInCustomer.FieldValue(read, "email"));
    }
}
