using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Api.Cli;
using DataVault.Api.Endpoints;
using DataVault.Api.Hosting;
using DataVault.Api.OpenApi;
using DataVault.Api.Tokens;
using DataVault.Policies;
using DataVault.Portal;
using DataVault.Vault;
using DataVault.Vault.Encryption;

if (AdminCli.Handles(args))
{
    return await AdminCli.RunAsync(args, Console.Out, Console.Error);
}

try
{
    // Settings and assets ship beside the binary; ./data stays relative to where the service is started.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    builder.AddPolicyCatalogue();
    builder.Services.AddVault(builder.Configuration);
    builder.AddApiDefaults();
    builder.AddPublicOrigin();
    builder.Services.AddAccessControl(builder.Configuration);
    builder.Services.AddPortal(builder.Configuration);
    builder.Services.AddApiDocumentation();
    builder.AddApiAuditing();

    var app = builder.Build();
    app.Services.EnsureKeyRingProtected(app.Environment);
    await app.Services.InitializeVaultAsync();
    await app.Services.AuditPolicyLoadAsync();

    var tokenService = !app.Configuration.UsesExternalAuthority();
    app.UseApiDefaults();
    app.UsePortal();
    if (tokenService)
    {
        // Before authentication: the authorization server answers /connect requests inside it.
        app.UseTokenEndpointLimits();
    }

    app.UseAuthentication();
    app.UseAuthorization();

    app.MapApiDocumentation();
    app.MapHealthEndpoints();
    app.MapBenchmarkBaseline();
    if (tokenService)
    {
        app.MapTokenEndpoint();
    }

    app.MapSubjectEndpoints();
    app.MapConsentEndpoints();
    app.MapPurposeEndpoints();
    app.MapChangeEndpoints();
    app.MapRecipientEndpoints();
    app.MapWebhookEndpoints();
    app.MapAuditEndpoints();
    app.MapInvitationEndpoints();
    app.MapRequestEndpoints();
    app.MapRetentionEndpoints();
    app.MapRequestFulfilmentEndpoints();
    app.MapPortal();

    await app.EnsureDemoClientAsync();
    await app.EnsureDemoAccountsAsync();
    app.AnnounceAddressesOnStart();
    await app.RunAsync();
    return 0;
}
catch (PolicyCatalogueException exception)
{
    // A broken catalogue must stop the service with a message an operator can act on, not a stack trace.
    await Console.Error.WriteLineAsync($"DataVault cannot start: the policy catalogue is invalid.{Environment.NewLine}{exception.Message}");
    return 2;
}
catch (ServiceConfigurationException exception)
{
    // Unsafe settings stop the service with the paragraph that says how to fix them, not a stack trace.
    await Console.Error.WriteLineAsync(exception.Message);
    return 3;
}

/// <summary>The host's entry point; public so integration tests can start it.</summary>
public partial class Program;
