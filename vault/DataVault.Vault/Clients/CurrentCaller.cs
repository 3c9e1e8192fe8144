using DataVault.Vault.Audit;

namespace DataVault.Vault.Clients;

/// <summary>
/// Who the current request comes from, filled once by the host when it authenticates the caller, so that handlers
/// and filters take it as a service (and tests hand them one) instead of reading it from the HTTP context.
/// </summary>
public sealed class CurrentCaller
{
    private Actor? _actor;

    /// <summary>The registered client behind the request, loaded when its access token was validated; null before that.</summary>
    public ClientInfo? Client { get; private set; }

    /// <summary>Whether an authenticated caller was set.</summary>
    public bool IsAuthenticated => _actor is not null;

    /// <summary>Who acts, as audit entries and recorded events name them.</summary>
    /// <exception cref="InvalidOperationException">No caller was authenticated: the route must require authorization.</exception>
    public Actor Actor => _actor ?? throw new InvalidOperationException("No authenticated caller: the route must require authorization.");

    /// <summary>The registered client behind the request.</summary>
    /// <exception cref="InvalidOperationException">No client was authenticated: the route must require authorization.</exception>
    public ClientInfo RequiredClient => Client ?? throw new InvalidOperationException("No authenticated client: the route must require authorization.");

    /// <summary>
    /// The request comes from <paramref name="client"/>, an enabled registered client, acting for the staff account
    /// <paramref name="onBehalfOf"/> when its token names one (an agent using a CRM's screens, authorization code flow):
    /// every audit entry of the request then names both.
    /// </summary>
    public void SetClient(ClientInfo client, string? onBehalfOf = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        _actor = Actor.Client(client.Id, onBehalfOf);
    }
}
