using System.Net;
using System.Net.Http.Json;

namespace DataVault.Portal.Tests;

/// <summary>The retention preview on the desk lists what the sweep would destroy on a day, never a value, and is audited.</summary>
public sealed class DeskRetentionPageTests
{
    [Fact]
    public async Task Preview_OnADayAfterTheRetention_ListsTheFieldsAndWhy_WithoutValues_AndIsAudited()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api, "rita.retained@example.com");
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields = new { family_name = "Retained" } })).EnsureSuccessStatusCode();
        using var ended = await api.PostAsJsonAsync(
            $"/api/v1/subjects/{subjectId}/relationships", new { purposeId = "service-delivery", endedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero) });
        Assert.Equal(HttpStatusCode.Created, ended.StatusCode);
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (_, today) = await browser.GetAsync("/desk/retention");
        var (status, later) = await browser.GetAsync("/desk/retention?on=2028-03-05");

        Assert.Contains("id=\"preview-empty\"", today, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("value=\"2028-03-05\"", later, StringComparison.Ordinal);
        Assert.Contains($"href=\"/desk/subjects/{subjectId}\"", later, StringComparison.Ordinal);
        Assert.Contains("The retention for Providing our service has ended.", later, StringComparison.Ordinal);
        Assert.Contains("(no data left: a tombstone remains)", later, StringComparison.Ordinal);
        Assert.DoesNotContain("Retained", later, StringComparison.Ordinal);
        Assert.DoesNotContain("rita.retained@example.com", later, StringComparison.Ordinal);
        Assert.Equal(2, app.AuditEntries().Count(e => e.Action == "retention.preview"));
    }
}
