using System.Net;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>"Restrict or object": restriction (Art. 18), objections (Art. 21) and Global Privacy Control, through the API's services.</summary>
public sealed class MyChoicesPageTests
{
    private static readonly object Profile = new { email = "ana.choices@example.com", family_name = "Choice" };

    [Fact]
    public async Task Restrict_WithholdsEverythingAsRestricted_AndLiftingReleasesAgain()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        using var restricted = await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(), "/my/choices?handler=Restrict");

        Assert.Equal(HttpStatusCode.Redirect, restricted.StatusCode);
        var read = await ReadAsync(customer.Api, customer.SubjectId, "service-delivery");
        Assert.Empty(Released(read));
        Assert.All(Withheld(read).Values, reason => Assert.Equal("restricted", reason));
        var (_, page) = await customer.GetAsync("/my/choices");
        Assert.Contains("Processing of your data is restricted.", page, StringComparison.Ordinal);
        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "restriction.record");
        Assert.Contains("\"outcome\":\"attempted\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"success\"", audit, StringComparison.Ordinal);

        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(), "/my/choices?handler=LiftRestriction"))
        {
        }

        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "service-delivery")));
    }

    [Fact]
    public async Task ObjectToAllProcessing_WithholdsAsObjected_AndOnlyTheSubjectLiftsIt()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        await RecordAsync(customer.Api, customer.SubjectId, "marketing-email", "given");

        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(), "/my/choices?handler=Object"))
        {
        }

        Assert.Equal("objected", Withheld(await ReadAsync(customer.Api, customer.SubjectId, "marketing-email"))["email"]);
        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "service-delivery")));
        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(), "/my/choices?handler=LiftObjection"))
        {
        }

        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "marketing-email")));
        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "objection.lift");
        Assert.Contains("\"outcome\":\"success\"", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/my/choices", "en", "Your browser sends the Global Privacy Control signal.", "We have just recorded your objection to: Sharing with selected partners.")]
    [InlineData("/my/consents", "es", "Tu navegador envía la señal Global Privacy Control.", "Acabamos de registrar tu oposición a:")]
    public async Task GlobalPrivacyControl_RecordsTheObjection_AndThePageShowsIt(string path, string language, string notice, string recorded)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, language);
        await RecordAsync(customer.Api, customer.SubjectId, "partner-sharing", "given");
        customer.Browser.Http.DefaultRequestHeaders.Add("Sec-GPC", "1");

        var (status, page) = await customer.GetAsync(path);
        var (_, again) = await customer.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(notice, page, StringComparison.Ordinal);
        Assert.Contains(recorded, page, StringComparison.Ordinal);
        Assert.DoesNotContain(recorded, again, StringComparison.Ordinal);
        Assert.Equal("objected", Withheld(await ReadAsync(customer.Api, customer.SubjectId, "partner-sharing"))["email"]);
        Assert.Contains("gpc:partner-sharing", await SignedInCustomer.AuditAsync(app, customer.SubjectId, "objection.record"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalPrivacyControl_ObjectionItKeeps_OffersNoLiftThatWouldBeUndone()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        customer.Browser.Http.DefaultRequestHeaders.Add("Sec-GPC", "1");

        var (_, page) = await customer.GetAsync("/my/choices");

        var card = page[page.IndexOf("id=\"objection-partner-sharing\"", StringComparison.Ordinal)..];
        card = card[..card.IndexOf("</div>", StringComparison.Ordinal)];
        Assert.Contains("Global Privacy Control signal keeps this objection in force", card, StringComparison.Ordinal);
        Assert.DoesNotContain("LiftObjection", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectToDirectMarketing_ConsentBased_TheCustomerObjectsAndNoClientLiftsIt()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        await RecordAsync(customer.Api, customer.SubjectId, "marketing-email", "given");
        var (_, page) = await customer.GetAsync("/my/choices");
        Assert.Contains("id=\"objection-marketing-email\"", page, StringComparison.Ordinal);

        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(("purpose", "marketing-email")), "/my/choices?handler=Object"))
        {
        }

        Assert.Equal("objected", Withheld(await ReadAsync(customer.Api, customer.SubjectId, "marketing-email"))["email"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Api.DeleteAsync($"/api/v1/subjects/{customer.SubjectId}/objections?purpose=marketing-email&reason=x")).StatusCode);
        var (_, after) = await customer.GetAsync("/my/choices");
        Assert.Contains("You, in this portal", after, StringComparison.Ordinal);

        // The customer lifts it themself.
        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(("purpose", "marketing-email")), "/my/choices?handler=LiftObjection"))
        {
        }

        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "marketing-email")));
    }

    [Fact]
    public async Task Choices_InEstonian_ShowTheTranslatedPage()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, "et");

        var (_, page) = await customer.GetAsync("/my/choices");

        Assert.Contains("Piira töötlemist", page, StringComparison.Ordinal);
        Assert.Contains("Vaidlusta kogu töötlemine", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choices_AnotherCustomersSubjectInTheFormOrQuery_IsNeverChanged()
    {
        await using var app = new DataVaultApplication();
        using var a = await SignedInCustomer.CreateAsync(app, new { email = "a.data@example.com" }, clientId: "crm-a");
        using var b = await SignedInCustomer.CreateAsync(app, new { email = "b.data@example.com" }, clientId: "crm-b");

        foreach (var handler in new[] { "Restrict", "Object" })
        {
            using (await a.Browser.SubmitAsync(
                $"/my/choices?subjectId={b.SubjectId}",
                SignedInCustomer.Form(("subjectId", b.SubjectId), ("SubjectId", b.SubjectId)),
                $"/my/choices?handler={handler}&subjectId={b.SubjectId}"))
            {
            }
        }

        Assert.Contains("email", Released(await ReadAsync(b.Api, b.SubjectId, "service-delivery")));
        var (_, page) = await a.GetAsync($"/my/choices?subjectId={b.SubjectId}");
        Assert.DoesNotContain("b.data@example.com", page, StringComparison.Ordinal);
        Assert.Equal("restricted", Withheld(await ReadAsync(a.Api, a.SubjectId, "service-delivery"))["email"]);
    }

    [Fact]
    public async Task Choices_AuditTrailUnavailable_Answers503_AndChangesNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        var token = PortalBrowser.AntiforgeryToken((await customer.Browser.GetAsync("/my/choices")).Html);

        using (SignedInCustomer.LockAuditTrail(app))
        {
            using var page = await customer.Browser.Http.GetAsync("/my/choices");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            using var restrict = await customer.Browser.PostAsync("/my/choices?handler=Restrict", new Dictionary<string, string>(), token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, restrict.StatusCode);
        }

        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "service-delivery")));
    }
}
