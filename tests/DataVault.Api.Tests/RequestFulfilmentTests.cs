using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Testing;

namespace DataVault.Api.Tests;

/// <summary>
/// Fulfilling data-subject requests through the real app host: every audit entry made for a request names it, and the
/// audit search finds them by it.
/// </summary>
public sealed class RequestFulfilmentTests
{
    private sealed record Detail(Request Request);

    private sealed record Request(string Id, string Status, string? SubjectId);

    private sealed record AuditPage(List<AuditItem> Items, long? NextCursor);

    private sealed record AuditItem(long Sequence, string Action, string Outcome, string? SubjectId, string? RequestId);

    [Fact]
    public async Task AuditSearch_ByRequest_FindsEveryEntryMadeForItAndNoOther()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var first = await CreateAsync(client);
        var second = await CreateAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{first}/transitions", new { to = "in-progress" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{second}/notes", new { text = "Called back." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/requests/{first}")).StatusCode);

        using var found = await client.GetAsync($"/api/v1/audit?request={first}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var page = await Read<AuditPage>(found);
        // A creation is attempted before the request has an id; its outcome names the request created.
        Assert.Equal(
            ["request.read:success", "request.transition:success", "request.transition:attempted", "request.create:success"],
            page.Items.Select(e => $"{e.Action}:{e.Outcome}"));
        Assert.All(page.Items, e => Assert.Equal(first, e.RequestId));

        // The trail stores it, and the entries of the other request name theirs.
        Assert.Equal(4, app.AuditEntries().Count(e => e.RequestId == first));
        Assert.Equal(3, app.AuditEntries().Count(e => e.RequestId == second));
        Assert.Empty((await Read<AuditPage>(await client.GetAsync($"/api/v1/audit?request={Guid.NewGuid()}"))).Items);
    }

    private static async Task<string> CreateAsync(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "letter", requester = new { name = "Ana" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await Read<Detail>(created)).Request.Id;
    }

    private static async Task<T> Read<T>(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
}
