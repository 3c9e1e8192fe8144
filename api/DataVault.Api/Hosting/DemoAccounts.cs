using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Api.Cli;
using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;

namespace DataVault.Api.Hosting;

/// <summary>
/// In Development, a first start also creates a demo customer (a fictional subject with data,
/// consents and a portal account), a demo compliance officer and a demo agent (who lets the demo CRM
/// act for them), and prints their sign-ins once on the console, so a newcomer can try every page of
/// the portal and both OAuth flows straight away. Created through the vault's own services and audited
/// as the administration verbs are.
/// </summary>
internal static class DemoAccounts
{
    public const string CustomerEmail = "alex.demo@example.com";

    public const string OfficerEmail = "olga.demo@example.com";

    public const string AgentEmail = "jo.smith.demo@example.com";

    public const string AgentName = "J. Smith";

    private static readonly string[] ConsentedPurposes = ["marketing-email", "personalisation"];

    private static readonly string[] Interests = ["books", "travel"];

    public static async Task EnsureDemoAccountsAsync(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var accounts = services.GetRequiredService<UserManager<CustomerAccount>>();
        var signIn = services.GetRequiredService<PublicOrigin>().Combine("/account/login");
        var staffSignIn = $"sign in at {signIn}, then set up two-factor sign-in, which staff accounts need";
        await EnsureAsync(accounts, "compliance officer", OfficerEmail, staffSignIn, () => AddStaffAsync(services, OfficerEmail, AccountRoles.Officer, displayName: null));
        await EnsureAsync(accounts, "agent", AgentEmail, staffSignIn, () => AddStaffAsync(services, AgentEmail, AccountRoles.Agent, AgentName));
        await EnsureAsync(accounts, "customer", CustomerEmail, $"sign in at {signIn}", () => AddCustomerAsync(services));
    }

    /// <summary>Creates one demo account unless it exists, and prints its password once, when it is created.</summary>
    private static async Task EnsureAsync(UserManager<CustomerAccount> accounts, string who, string email, string howToSignIn, Func<Task<string?>> create)
    {
        if (await accounts.FindByEmailAsync(email) is not null)
        {
            Console.WriteLine($"Demo {who} {email} exists; its password was printed when it was created.");
            return;
        }

        Console.WriteLine(await create() is { } password
            ? $"Demo {who} created (Development only), shown once: {email}  password: {password}  ({howToSignIn})"
            : $"The demo {who} could not be created; see the log.");
    }

    private static async Task<string?> AddStaffAsync(IServiceProvider services, string email, string role, string? displayName)
    {
        var added = await CliAudit.ChangeAsync(
            services,
            AuditActions.OfficerAdd,
            role,
            () => services.GetRequiredService<OfficerService>().AddAsync(email, role, CancellationToken.None, displayName),
            result => (AuditOutcomes.From(result.Outcome), role),
            CancellationToken.None);
        return added.Value?.Password;
    }

    private static async Task<string?> AddCustomerAsync(IServiceProvider services)
    {
        var fields = new Dictionary<string, JsonElement>
        {
            ["email"] = JsonSerializer.SerializeToElement(CustomerEmail),
            ["given_name"] = JsonSerializer.SerializeToElement("Alex"),
            ["family_name"] = JsonSerializer.SerializeToElement("Demo"),
            ["preferred_language"] = JsonSerializer.SerializeToElement("en"),
            ["interests"] = JsonSerializer.SerializeToElement(Interests),
            ["billing_name"] = JsonSerializer.SerializeToElement("Alex Demo"),
        };
        var names = string.Join(',', fields.Keys);
        var created = await CliAudit.ChangeAsync(
            services,
            AuditActions.SubjectCreate,
            names,
            () => services.GetRequiredService<SubjectService>().CreateAsync(fields, CancellationToken.None),
            result => (AuditOutcomes.From(result.Outcome), result.Value is null ? null : names),
            CancellationToken.None);
        if (created.Value is not { } subject)
        {
            return null;
        }

        var consents = services.GetRequiredService<ConsentService>();
        foreach (var purpose in ConsentedPurposes.Where(services.GetRequiredService<PolicyCatalogue>().Purposes.ContainsKey))
        {
            await CliAudit.ChangeAsync(
                services,
                AuditActions.ConsentRecord,
                purpose,
                () => consents.RecordAsync(
                    subject.Id,
                    new RecordConsentCommand(purpose, ConsentStates.ToText(ConsentState.Given), null, null, CollectionMethods.Import, PolicyCatalogue.DefaultLanguage, "Demo data created at first start", Actor.Subject(subject.Id)),
                    CancellationToken.None),
                result => (AuditOutcomes.From(result.Outcome), purpose),
                CancellationToken.None);
        }

        // The demo account is made at once from an invitation bound to the address on record; nothing is e-mailed.
        var invitations = services.GetRequiredService<InvitationService>();
        var invitation = await invitations.CreateAsync(subject.Id, "demo", identityEvidence: null, CancellationToken.None);
        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(15));
        var activated = await CliAudit.ChangeAsync(
            services,
            AuditActions.AccountActivate,
            null,
            () => invitations.ActivateAsync(invitation.Invitation?.Token, password, CancellationToken.None),
            result => (result.Outcome == ActivationOutcome.Activated ? AuditOutcomes.Success : AuditOutcomes.Invalid, null),
            CancellationToken.None);
        return activated.Outcome == ActivationOutcome.Activated ? password : null;
    }
}
