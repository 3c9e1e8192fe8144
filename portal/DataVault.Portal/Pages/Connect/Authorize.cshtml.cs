using System.Collections.Immutable;
using System.Security.Claims;
using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;

namespace DataVault.Portal.Pages.Connect;

/// <summary>
/// The authorization endpoint's decision (RFC 6749 §4.1, with PKCE, RFC 7636), after OpenIddict has checked
/// the request itself (client, registered redirect URI, code challenge, scopes the client may ask for). A
/// staff member with the agent role, signed in here, lets a CRM act for them: the consent names the system,
/// what it may do and for which purposes (its own registration, never more), and is kept, so the next
/// request of the same system for the same scopes is answered at once. What the CRM then does with the
/// token is recorded as done by the system, for this person.
/// </summary>
internal sealed class AuthorizeModel(
    UserManager<CustomerAccount> users,
    ClientRegistry clients,
    IOpenIddictAuthorizationManager authorizations,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    IStringLocalizer<ConsentText> text) : PageModel
{
    public string ClientName { get; private set; } = string.Empty;

    public string AgentName { get; private set; } = string.Empty;

    /// <summary>What the client will be able to do, in the reader's language.</summary>
    public IReadOnlyList<string> Abilities { get; private set; } = [];

    /// <summary>The purposes the client is registered for, by title.</summary>
    public IReadOnlyList<string> Purposes { get; private set; } = [];

    /// <summary>The authorization request, posted back with the decision.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private set; } = [];

    public Task<IActionResult> OnGetAsync() => DecideAsync(decision: null);

    public Task<IActionResult> OnPostAsync(string? decision) => DecideAsync(decision == "allow");

    private async Task<IActionResult> DecideAsync(bool? decision)
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The authorization endpoint is reached only through OpenIddict.");
        if (User.Identity?.IsAuthenticated != true)
        {
            // OpenID Connect's prompt=none, which OAuth clients use too: answer without showing a page.
            return request.HasPromptValue(OAuth.PromptValues.None)
                ? Refuse(OAuth.Errors.LoginRequired, "The agent is not signed in.")
                : Challenge(
                    new AuthenticationProperties { RedirectUri = Request.Path + QueryString.Create(Flatten(request).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))) },
                    IdentityConstants.ApplicationScheme);
        }

        var account = await users.GetUserAsync(User);
        if (account is null || account.SubjectId is not null || !await users.IsInRoleAsync(account, AccountRoles.Agent) || await users.IsLockedOutAsync(account))
        {
            return Refuse(OAuth.Errors.AccessDenied, "Only staff with the agent role can let a system act for them.");
        }

        var client = clients.Find(request.ClientId!) ?? throw new InvalidOperationException("OpenIddict admits registered clients only.");
        var scopes = request.GetScopes();
        var authorizationId = await ExistingAuthorizationAsync(account, client, scopes);
        if (decision is null && (authorizationId is null || request.HasPromptValue(OAuth.PromptValues.Consent)))
        {
            if (request.HasPromptValue(OAuth.PromptValues.None))
            {
                return Refuse(OAuth.Errors.ConsentRequired, "The agent has not let this system act for them yet.");
            }

            Show(request, client, account);
            return Page();
        }

        if (decision == false)
        {
            return await audit.RecordAsync(User, AuditActions.AgentConsent, AuditOutcomes.Denied, HttpContext.RequestAborted, fields: client.Id)
                ? Refuse(OAuth.Errors.AccessDenied, "The agent did not let the system act for them.")
                : PortalAudit.Unavailable();
        }

        var identity = new ClaimsIdentity(authenticationType: "DataVault.Agent", OAuth.Claims.Name, OAuth.Claims.Role);
        identity.SetClaim(OAuth.Claims.Subject, account.Id);
        identity.SetClaim(TokenClaims.Staff, account.Id);
        identity.SetScopes(scopes);
        if (authorizationId is null)
        {
            // A change (the consent is kept): recorded as attempted before it is made, and not made if that fails.
            var consented = await audit.RecordChangeAsync(
                User,
                AuditActions.AgentConsent,
                async () => await authorizations.GetIdAsync(
                    await authorizations.CreateAsync(new ClaimsPrincipal(identity), account.Id, client.Id, OAuth.AuthorizationTypes.Permanent, scopes, HttpContext.RequestAborted),
                    HttpContext.RequestAborted),
                _ => AuditOutcomes.Success,
                HttpContext.RequestAborted,
                fields: $"{client.Id}:{string.Join(' ', scopes)}");
            if (!consented.Recorded)
            {
                return PortalAudit.Unavailable();
            }

            authorizationId = consented.Result;
        }

        identity.SetAuthorizationId(authorizationId);
        identity.SetDestinations(_ => [OAuth.Destinations.AccessToken]);
        return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The agent's valid consent to this client for these scopes, if they gave one before.</summary>
    private async Task<string?> ExistingAuthorizationAsync(CustomerAccount account, ClientInfo client, ImmutableArray<string> scopes)
    {
        await foreach (var authorization in authorizations.FindAsync(account.Id, client.Id, OAuth.Statuses.Valid, OAuth.AuthorizationTypes.Permanent, scopes, HttpContext.RequestAborted))
        {
            return await authorizations.GetIdAsync(authorization, HttpContext.RequestAborted);
        }

        return null;
    }

    private void Show(OpenIddictRequest request, ClientInfo client, CustomerAccount account)
    {
        ClientName = client.DisplayName;
        AgentName = account.DisplayName ?? account.Email ?? string.Empty;
        Abilities = request.GetScopes().Select(Ability).ToList();
        Purposes = client.AllowedPurposes.Select(catalogue.PurposeTitle).ToList();
        Parameters = Flatten(request);

        // The answer to this page's form is a redirect to the client, which CSP form-action must allow.
        PortalFormTarget.Allow(HttpContext, new Uri(request.RedirectUri!));
    }

    private string Ability(string scope) => scope switch
    {
        Scopes.SubjectsRead => text["Read customer records and look customers up"],
        Scopes.SubjectsWrite => text["Create customer records and correct their data"],
        Scopes.ConsentsWrite => text["Record customers' consent decisions, objections and restrictions"],
        Scopes.SubjectsErase => text["Erase customer records"],
        Scopes.AuditRead => text["Search, export and verify the audit trail"],
        Scopes.RequestsManage => text["Handle data-subject requests"],
        Scopes.SubjectsInvite => text["Have DataVault e-mail customers an invitation to the privacy portal"],
        OAuth.Scopes.OfflineAccess => text["Stay connected while you keep using it, without you signing in again"],
        _ => scope,
    };

    /// <summary>The request's parameters, without this page's own (the decision and the antiforgery token).</summary>
    private static List<KeyValuePair<string, string>> Flatten(OpenIddictRequest request) =>
        request.GetParameters()
            .Where(parameter => parameter.Key is not ("decision" or "__RequestVerificationToken"))
            .SelectMany(parameter => ((StringValues)parameter.Value).OfType<string>().Select(value => KeyValuePair.Create(parameter.Key, value)))
            .ToList();

    /// <summary>An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1).</summary>
    private ForbidResult Refuse(string error, string description) => Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
