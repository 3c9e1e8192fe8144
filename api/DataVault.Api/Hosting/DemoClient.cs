using DataVault.Policies;
using DataVault.Vault;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Hosting;

/// <summary>
/// In Development, a first start registers <c>demo-crm</c> with every scope and purpose and prints its
/// secret once, so a newcomer can call the API straight away (client credentials) or sign in as the
/// demo agent through it (authorization code flow, redirected to <see cref="RedirectUri"/>); and
/// <c>swagger-ui</c>, a public client, so Swagger UI's "Authorize" works with the code flow and PKCE. The
/// secret goes to the console only, never to a log sink.
/// </summary>
internal static class DemoClient
{
    public const string ClientId = "demo-crm";

    public const string SwaggerUiClientId = "swagger-ui";

    /// <summary>Where the demo CRM's codes go: nothing listens there; the code is read from the browser's address bar.</summary>
    public const string RedirectUri = "http://localhost:8400/callback";

    public static async Task EnsureDemoClientAsync(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
        var purposes = scope.ServiceProvider.GetRequiredService<PolicyCatalogue>().Purposes.Keys;
        var origin = app.Services.GetRequiredService<PublicOrigin>();
        if (await clients.FindAsync(ClientId, CancellationToken.None) is not null)
        {
            Console.WriteLine($"Demo client '{ClientId}' exists; its secret was printed when it was created. New one: dotnet run --project api/DataVault.Api -- clients rotate-secret {ClientId}");
        }
        else if (await clients.AddAsync(new ClientRegistration(ClientId, "Demo CRM", Scopes.All, purposes) { RedirectUris = [RedirectUri] }, CancellationToken.None) is { Outcome: VaultOutcome.Ok } created)
        {
            Console.WriteLine($"""
                Demo client created (Development only). It is shown once:
                  client_id:     {ClientId}
                  client_secret: {created.Value!.Secret}
                Get a token:  curl -s -u '{ClientId}:{created.Value.Secret}' -d grant_type=client_credentials {origin.Combine("/connect/token")}
                """);
        }

        if (await clients.FindAsync(SwaggerUiClientId, CancellationToken.None) is null)
        {
            await clients.AddAsync(
                new ClientRegistration(SwaggerUiClientId, "Swagger UI", Scopes.All, purposes) { RedirectUris = [origin.Combine("/swagger/oauth2-redirect.html")], IsPublic = true },
                CancellationToken.None);
        }
    }
}
