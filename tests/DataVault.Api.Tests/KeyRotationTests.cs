using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace DataVault.Api.Tests;

/// <summary>
/// Access tokens are signed by the vault's own keys, which rotate with overlap: a successor is published
/// before it signs, and a retired key stays published for a while after, so tokens (and receipts and
/// checkpoints) signed before a rotation keep verifying; the JWKS never lists any other key.
/// </summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task AccessTokens_AcrossARotation_AreSignedByTheActiveKeyAndVerifyWhileItsKeyIsPublished()
    {
        var start = new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);
        var time = new ManualTimeProvider(start);
        await using var app = new DataVaultApplication(time, new Dictionary<string, string?>
        {
            ["SigningKeys:SigningPeriod"] = "10:00:00",
            ["SigningKeys:PublishAhead"] = "02:00:00",
            ["SigningKeys:PublishAfterRetirement"] = "00:10:00",
        });
        var secret = await app.RegisterClientAsync("crm-eu");
        var first = await app.RequestTokenAsync("crm-eu", secret);
        var firstKey = Assert.Single(await PublishedKeysAsync(app));
        Assert.Equal(firstKey, new JsonWebToken(first).Kid);

        // In the publish-ahead window: the successor is published, the current key still signs.
        time.Set(start.AddHours(9).AddMinutes(55));
        var beforeRotation = await app.RequestTokenAsync("crm-eu", secret);
        Assert.Equal(firstKey, new JsonWebToken(beforeRotation).Kid);
        var published = await PublishedKeysAsync(app);
        Assert.Equal(2, published.Count);
        var successor = Assert.Single(published, k => k != firstKey);

        // Past the rotation: the successor signs, and a token signed before still verifies.
        time.Set(start.AddHours(10).AddMinutes(5));
        var afterRotation = await app.RequestTokenAsync("crm-eu", secret);
        Assert.Equal(successor, new JsonWebToken(afterRotation).Kid);
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, beforeRotation));
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, afterRotation));

        // Once the retired key is no longer published, what it signed no longer verifies (not yet expired).
        time.Set(start.AddHours(10).AddMinutes(15));
        Assert.Equal([successor], await PublishedKeysAsync(app));
        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, beforeRotation));
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, afterRotation));
    }

    [Fact]
    public async Task Jwks_ListsOnlyTheVaultsKeys_NeverOpenIddictsOwn()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);

        var stored = ((string)SubjectEndpointsTests.Scalar(app, "SELECT group_concat(id) FROM signing_keys;")!).Split(',');
        var published = await PublishedKeysAsync(app);

        Assert.Equal(stored.Order(StringComparer.Ordinal), published.Order(StringComparer.Ordinal));
        Assert.Contains(new JsonWebToken(token).Kid, stored);
        using var http = app.CreateClient();
        var jwks = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        Assert.All(jwks.GetProperty("keys").EnumerateArray(), key => Assert.Equal("EC", key.GetProperty("kty").GetString()));
    }

    /// <summary>
    /// The keys OpenIddict insists on (they sign and encrypt nothing) are made on the service's first
    /// request: RSA keys there would cost that request two random prime searches, seconds of CPU on a busy
    /// machine, before the first page or token is served.
    /// </summary>
    [Fact]
    public async Task OpenIddictsPlaceholderKeys_AreNotRsa_SoTheFirstRequestGeneratesNoRsaKey()
    {
        await using var app = new DataVaultApplication();

        var server = app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;

        Assert.NotEmpty(server.SigningCredentials);
        Assert.NotEmpty(server.EncryptionCredentials);
        Assert.DoesNotContain(server.SigningCredentials, c => c.Key is RsaSecurityKey);
        Assert.DoesNotContain(server.EncryptionCredentials, c => c.Key is RsaSecurityKey);
    }

    private static async Task<List<string>> PublishedKeysAsync(DataVaultApplication app)
    {
        using var http = app.CreateClient();
        var jwks = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();
    }
}
