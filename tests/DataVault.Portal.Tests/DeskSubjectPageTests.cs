using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>
/// The officer's desk for one customer: what clients may not lift (the customer's own restriction and objections,
/// a Global Privacy Control objection) an officer can, with a written reason that the customer sees, after the
/// customer has been told by e-mail (GDPR Art. 18(3)); every view and change audited as the officer's.
/// </summary>
public sealed class DeskSubjectPageTests
{
    private static readonly object Profile = new { email = "ana.desk@example.com", preferred_language = "es" };

    [Fact]
    public async Task LiftRestriction_TheCustomerMade_ClientIsRefused_OfficerLiftsAfterTheCustomerIsToldByEmail()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, smtp: smtp);
        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(), "/my/choices?handler=Restrict"))
        {
        }

        var refused = await customer.Api.DeleteAsync($"/api/v1/subjects/{customer.SubjectId}/restriction?reason=customer%20called");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("only the subject", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The invitation alone: a refused lift tells the customer nothing.
        Assert.Single(smtp.Messages);

        using var officer = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, officer);
        var page = $"/desk/subjects/{customer.SubjectId}";
        var (status, before) = await officer.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Processing of this customer&#x27;s data is restricted", before, StringComparison.Ordinal);
        Assert.Contains("The customer, in the privacy portal", before, StringComparison.Ordinal);

        using var lifted = await officer.SubmitAsync(page, SignedInCustomer.Form(("Input.Reason", "accuracy checked with the customer by phone")), $"{page}?handler=LiftRestriction");

        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "service-delivery")));

        // Told first, in their language, with nothing of their data in the message.
        var notice = await smtp.WaitForMessageAsync(m => m.Subject == "Se levanta la limitación del tratamiento de tus datos");
        Assert.Equal("ana.desk@example.com", notice.To.Mailboxes.Single().Address);
        Assert.Equal("es", notice.Body!.Headers[MimeKit.HeaderId.ContentLanguage]);
        Assert.DoesNotContain("accuracy checked", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains(app.AuditEntries(), e => e.Action == "mail.send" && e.SubjectId == customer.SubjectId && e.Outcome == "attempted"
            && e.Fields == "kind:restriction-lift,to:a***@example.com");

        // Who and why are recorded, and shown to the officer and to the customer.
        var lifts = app.AuditEntries().Where(e => e.Action == "restriction.lift" && e.ActorType == "officer").ToList();
        Assert.Equal(["attempted", "success"], lifts.Select(e => e.Outcome));
        Assert.All(lifts, e => Assert.Equal((officerId, customer.SubjectId), (e.ActorId, e.SubjectId)));
        var (_, after) = await officer.GetAsync($"{page}?done=lift-restriction");
        Assert.Contains("The restriction has been lifted.", after, StringComparison.Ordinal);
        Assert.Contains("Officer officer@example.com", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"Officer {officerId}", after, StringComparison.Ordinal);
        Assert.Contains("accuracy checked with the customer by phone", after, StringComparison.Ordinal);
        var (_, choices) = await customer.GetAsync("/my/choices");
        Assert.Contains("accuracy checked with the customer by phone", choices, StringComparison.Ordinal);
        Assert.Contains("Our compliance officer", choices, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiftObjection_MadeThroughGlobalPrivacyControl_OnlyTheOfficerLiftsIt_WithAReason()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        await RecordAsync(customer.Api, customer.SubjectId, "partner-sharing", "given");
        using (var signal = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subjects/{customer.SubjectId}/consents"))
        {
            // Relayed by the client from the customer's browser.
            signal.Headers.Add("Sec-GPC", "1");
            Assert.Equal(HttpStatusCode.OK, (await customer.Api.SendAsync(signal)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Api.DeleteAsync($"/api/v1/subjects/{customer.SubjectId}/objections?purpose=partner-sharing&reason=x")).StatusCode);

        using var officer = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, officer);
        var page = $"/desk/subjects/{customer.SubjectId}";
        var (_, before) = await officer.GetAsync(page);
        Assert.Contains("id=\"objection-partner-sharing\"", before, StringComparison.Ordinal);
        Assert.Contains("The customer&#x27;s browser (Global Privacy Control), relayed by Test client crm-eu", before, StringComparison.Ordinal);

        // No reason: nothing lifted, the error next to the form.
        using (var missing = await officer.SubmitAsync(page, SignedInCustomer.Form(("purpose", "partner-sharing"), ("Input.Reason", " ")), $"{page}?handler=LiftObjection"))
        {
            Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
            var html = await missing.Content.ReadAsStringAsync();
            Assert.Contains("id=\"reason-objection-partner-sharing-error\"", html, StringComparison.Ordinal);
        }

        // A bidirectional override in the reason is refused like one in a field value.
        using (var spoofed = await officer.SubmitAsync(page, SignedInCustomer.Form(("purpose", "partner-sharing"), ("Input.Reason", "asked \u202Eby letter")), $"{page}?handler=LiftObjection"))
        {
            Assert.Equal(HttpStatusCode.OK, spoofed.StatusCode);
        }

        Assert.Equal("objected", Withheld(await ReadAsync(customer.Api, customer.SubjectId, "partner-sharing"))["email"]);

        using var lifted = await officer.SubmitAsync(page, SignedInCustomer.Form(("purpose", "partner-sharing"), ("Input.Reason", "asked by letter")), $"{page}?handler=LiftObjection");
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "partner-sharing")));
        Assert.Equal(
            ["attempted", "invalid", "attempted", "invalid", "attempted", "success"],
            app.AuditEntries().Where(e => e.Action == "objection.lift" && e.ActorType == "officer").Select(e => e.Outcome));
    }

    [Fact]
    public async Task LiftRestriction_CustomerWithoutEmail_NeedsTheOfficerToConfirmTheyWereToldAnotherWay()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Ana" } });
        var subjectId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/subjects/{subjectId}/restriction", new { reason = "accuracy contested" })).StatusCode);

        // A client cannot tell the customer, so it cannot lift it either.
        var refused = await api.DeleteAsync($"/api/v1/subjects/{subjectId}/restriction?reason=corrected");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Art. 18(3)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var officer = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, officer);
        var page = $"/desk/subjects/{subjectId}";
        var (_, before) = await officer.GetAsync(page);
        Assert.Contains("no e-mail address on record", before, StringComparison.Ordinal);

        using (var unconfirmed = await officer.SubmitAsync(page, SignedInCustomer.Form(("Input.Reason", "corrected")), $"{page}?handler=LiftRestriction"))
        {
            Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
            Assert.Contains("id=\"told-error\"", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(Released(await ReadAsync(api, subjectId, "service-delivery")));
        using var lifted = await officer.SubmitAsync(page, SignedInCustomer.Form(("Input.Reason", "corrected"), ("Input.ToldOtherwise", "true")), $"{page}?handler=LiftRestriction");
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.Contains("given_name", Released(await ReadAsync(api, subjectId, "service-delivery")));
    }

    [Fact]
    public async Task Restrict_ByTheOfficer_NoClientCanLiftIt()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = "ana@example.com" } });
        var subjectId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        using var officer = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, officer);
        var page = $"/desk/subjects/{subjectId}";

        using var restricted = await officer.SubmitAsync(page, SignedInCustomer.Form(("Input.Reason", "customer contests accuracy by phone")), $"{page}?handler=Restrict");

        Assert.Equal(HttpStatusCode.Redirect, restricted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.DeleteAsync($"/api/v1/subjects/{subjectId}/restriction?reason=corrected")).StatusCode);
        Assert.Empty(Released(await ReadAsync(api, subjectId, "service-delivery")));
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("0198c8a4-0000-7000-8000-000000000000")]
    public async Task Find_UnknownOrMalformedId_SaysSoAndShowsNothing(string id)
    {
        await using var app = new DataVaultApplication();
        using var officer = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, officer);

        using var response = await officer.SubmitAsync("/desk/subjects", SignedInCustomer.Form(("Find.Query", id)), "/desk/subjects?handler=Find");

        if (id == "not-an-id")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("id=\"find-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            return;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (status, page) = await officer.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("No customer with this id is known to the vault", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Lift", page, StringComparison.Ordinal);
        Assert.Contains(app.AuditEntries(), e => e.Action == "consent.read" && e.ActorType == "officer" && e.Outcome == "not-found");
    }

    [Fact]
    public async Task Find_ByEmailOrPhone_OpensTheCustomer_AsTheOfficersOwnLookUp()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        app.Monitor.Remember("+34 600 123 456");
        app.Monitor.Remember("+34600123456");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api, "ana.found@example.com");
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields = new { phone = "+34 600 123 456" } })).EnsureSuccessStatusCode();
        using var officer = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, officer);

        foreach (var typed in new[] { "Ana.Found@Example.com", "+34 600-123-456" })
        {
            app.Monitor.Remember(typed);
            using var found = await officer.SubmitAsync("/desk/subjects", SignedInCustomer.Form(("Find.Query", typed)), "/desk/subjects?handler=Find");
            Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
            Assert.Equal($"/desk/subjects/{subjectId}", found.Headers.Location!.OriginalString);
        }

        app.Monitor.Remember("nobody@example.com");
        using (var nobody = await officer.SubmitAsync("/desk/subjects", SignedInCustomer.Form(("Find.Query", "nobody@example.com")), "/desk/subjects?handler=Find"))
        {
            Assert.Equal(HttpStatusCode.OK, nobody.StatusCode);
            Assert.Contains("No customer has this on record.", await nobody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Audited as the officer's look-ups by the field searched, never the value typed (the monitor checks that).
        var lookups = app.AuditEntries().Where(e => e.Action == "subject.lookup").ToList();
        Assert.Equal(["email", "phone", "email"], lookups.Select(e => e.Fields));
        Assert.All(lookups, e => Assert.Equal(("officer", officerId, "success"), (e.ActorType, e.ActorId, e.Outcome)));
    }

    [Fact]
    public async Task Customer_ShowsConsentsRecipientsAndAccessHistory_InWordsAndWithoutValues()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        await RecordAsync(customer.Api, customer.SubjectId, "marketing-email", "given");
        await RecordAsync(customer.Api, customer.SubjectId, "analytics", "withdrawn");
        await ReadAsync(customer.Api, customer.SubjectId, "marketing-email");
        await ReadAsync(customer.Api, customer.SubjectId, "service-delivery");
        using var officer = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, officer);

        var (status, page) = await officer.GetAsync($"/desk/subjects/{customer.SubjectId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var html = WebUtility.HtmlDecode(page);
        Assert.Matches("<th scope=\"row\" data-label=\"Purpose\">Marketing emails</th>\\s*<td data-label=\"Consent\"><span class=\"badge ok\">Consent given</span>", html);
        Assert.Matches("<th scope=\"row\" data-label=\"Purpose\">Customer analytics</th>\\s*<td data-label=\"Consent\"><span class=\"badge warn\">Consent withdrawn</span>", html);
        Assert.Contains("Test client crm-eu", Section(html, "recipients-heading"), StringComparison.Ordinal);
        Assert.Contains("Marketing emails, Providing our service", Section(html, "recipients-heading"), StringComparison.Ordinal);
        Assert.Contains("Email address", Section(html, "recipients-heading"), StringComparison.Ordinal);
        Assert.Contains("Yes, with a password only", html, StringComparison.Ordinal);
        var history = Section(html, "accesses-heading");
        Assert.Contains("Data read for a purpose <code class=\"audit-code\">subject.read</code>", history, StringComparison.Ordinal);
        Assert.Matches("<caption>Entries 1 to \\d+ of \\d+, newest first</caption>", history);
        Assert.DoesNotContain("ana.desk@example.com", html, StringComparison.Ordinal);
        Assert.Contains("The customer has not asked for a copy of their data, a correction, a restriction or an objection.", Section(html, "requests-heading"), StringComparison.Ordinal);

        // The view is on record as the officer's: the customer's choices read, and the audit trail searched about them.
        var entries = app.AuditEntries().Where(e => e.ActorType == "officer" && e.SubjectId == customer.SubjectId).Select(e => e.Action).ToList();
        Assert.Contains("consent.read", entries);
        Assert.Contains("audit.search", entries);
    }

    [Fact]
    public async Task Customer_ShowsTheRequestsTheCustomerMadeThemselves_EachOnceWithHowItEnded()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        using (var export = await customer.Browser.SubmitAsync("/my/export", SignedInCustomer.Form()))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        }

        using (await customer.Browser.SubmitAsync("/my/choices", SignedInCustomer.Form(), "/my/choices?handler=Restrict"))
        {
        }

        // What a system does about the customer is not the customer's request.
        Assert.Equal(HttpStatusCode.NoContent, (await customer.Api.PostAsJsonAsync($"/api/v1/subjects/{customer.SubjectId}/objections", new { purposeId = "marketing-email" })).StatusCode);
        using var officer = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, officer);

        var (status, page) = await officer.GetAsync($"/desk/subjects/{customer.SubjectId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var requests = WebUtility.HtmlDecode(Section(page, "requests-heading"));
        Assert.Equal(2, Regex.Count(requests, "<tr>") - 1);
        Assert.Matches("Processing restricted <code class=\"audit-code\">restriction.record</code></td>\\s*<td data-label=\"Outcome\">Done <code class=\"audit-code\">success</code>", requests);
        Assert.Matches("Copy of all data given to the customer <code class=\"audit-code\">subject.export</code></td>\\s*<td data-label=\"Outcome\">Done", requests);
        Assert.DoesNotContain("objection.record", requests, StringComparison.Ordinal);
        Assert.DoesNotContain("attempted", requests, StringComparison.Ordinal);
    }

    private static string Section(string html, string heading)
    {
        var start = html.IndexOf($"id=\"{heading}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {heading}.");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
