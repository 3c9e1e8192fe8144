using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DataVault.Policies;
using DataVault.Vault.Accounts;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Testing;

/// <summary>
/// The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636) as a CRM runs it for a person using
/// its screens: an agent, a client with a redirect URI, the authorize request, the exchange of the code.
/// </summary>
internal static partial class CodeFlow
{
    public const string RedirectUri = "http://127.0.0.1:1/crm/callback";

    /// <summary>A staff account with the agent role, a display name and two-factor sign-in on (staff accounts need it for the portal).</summary>
    public static Task<Staff> AddAgentAsync(DataVaultApplication app, string email = "jo.smith@example.com", string name = "J. Smith") =>
        AddStaffAsync(app, email, AccountRoles.Agent, name);

    /// <summary>A staff account as <c>officers add</c> makes it, with two-factor sign-in turned on as its holder would; its secrets are remembered by the monitor.</summary>
    public static async Task<Staff> AddStaffAsync(DataVaultApplication app, string email, string role, string? name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<OfficerService>().AddAsync(email, role, CancellationToken.None, name);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
        app.Monitor.Remember(email);
        app.Monitor.Remember(added.Value!.Password);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CustomerAccount>>();
        var account = (await users.FindByIdAsync(added.Value.Officer.Id))!;
        Assert.True((await users.ResetAuthenticatorKeyAsync(account)).Succeeded);
        Assert.True((await users.SetTwoFactorEnabledAsync(account, true)).Succeeded);
        var key = (await users.GetAuthenticatorKeyAsync(account))!;
        app.Monitor.Remember(key);
        return new Staff(added.Value.Officer.Id, email, added.Value.Password, key);
    }

    /// <summary>Signs <paramref name="browser"/> in as <paramref name="staff"/>: the password, then a code from their authenticator; returns the second step's answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(PortalBrowser browser, Staff staff)
    {
        using (var password = await browser.SignInAsync(staff.Email, staff.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
            Assert.StartsWith("/account/login-2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        return await browser.SubmitAsync("/account/login-2fa", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(staff.AuthenticatorKey, DateTimeOffset.UtcNow) });
    }

    /// <summary>A confidential client whose screens staff use (a redirect URI); returns its secret.</summary>
    public static async Task<string> RegisterCrmAsync(DataVaultApplication app, string clientId, IEnumerable<string> scopes, IEnumerable<string>? purposes = null, string redirectUri = RedirectUri)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var catalogue = scope.ServiceProvider.GetRequiredService<PolicyCatalogue>();
        var added = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync(
            new ClientRegistration(clientId, $"CRM {clientId}", scopes, purposes ?? catalogue.Purposes.Keys) { RedirectUris = [redirectUri] },
            CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
        app.Monitor.Remember(added.Value!.Secret);
        return added.Value.Secret!;
    }

    /// <summary>A PKCE verifier (43 characters) and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizePath(string clientId, string scope, string challenge, string state = "crm-state-1", string method = "S256", string redirectUri = RedirectUri) =>
        QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = method,
            ["state"] = state,
        });

    /// <summary>Opens the consent page in <paramref name="browser"/> (signed in as an agent) and answers it; returns where the browser is sent.</summary>
    public static async Task<Uri> ConsentAsync(PortalBrowser browser, string authorizePath, bool allow = true)
    {
        var (status, html) = await browser.GetAsync(authorizePath);
        Assert.True(status == HttpStatusCode.OK, $"The consent page answered {(int)status}.");
        var fields = HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields.Remove("__RequestVerificationToken");
        fields.Remove("returnUrl");
        fields["decision"] = allow ? "allow" : "deny";
        using var response = await browser.PostAsync("/connect/authorize", fields, PortalBrowser.AntiforgeryToken(html));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"The decision answered {(int)response.StatusCode}.");
        return response.Headers.Location!;
    }

    /// <summary>The parameters of the redirect back to the client.</summary>
    public static Dictionary<string, string> Parameters(Uri redirect) =>
        QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>Sends <paramref name="form"/> (a code or refresh token grant) to the token endpoint with HTTP Basic.</summary>
    public static async Task<HttpResponseMessage> RedeemAsync(DataVaultApplication app, string clientId, string secret, Dictionary<string, string> form)
    {
        using var http = app.CreateMonitoredClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> ExchangeCodeAsync(DataVaultApplication app, string clientId, string secret, string code, string verifier, string redirectUri = RedirectUri) =>
        RedeemAsync(app, clientId, secret, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        });

    public static Task<HttpResponseMessage> RefreshAsync(DataVaultApplication app, string clientId, string secret, string refreshToken) =>
        RedeemAsync(app, clientId, secret, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    /// <summary>Reads a successful token response and hands its tokens to the monitor.</summary>
    public static async Task<Tokens> TokensAsync(DataVaultApplication app, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The token endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var tokens = (await response.Content.ReadFromJsonAsync<Tokens>())!;
        app.Monitor.Remember(tokens.AccessToken);
        app.Monitor.Remember(tokens.RefreshToken);
        return tokens;
    }

    /// <summary>A staff account made for a test, with its one-time password and authenticator key.</summary>
    internal sealed record Staff(string Id, string Email, string Password, string AuthenticatorKey);

    internal sealed record Tokens(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("scope")] string? Scope);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex HiddenField();
}
