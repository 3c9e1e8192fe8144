using System.Collections.Immutable;
using DataVault.Vault;
using DataVault.Vault.Clients;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DataVault.Api.Tokens;

/// <summary>
/// The metadata (RFC 8414, and the OpenID discovery path) lists exactly what this server does. It issues
/// access tokens only, no id tokens, so what OpenIddict lists for OpenID Connect (id token algorithms,
/// which would name the unused placeholder key, subject types, prompt values, claims, the <c>openid</c>
/// scope) goes; and because clients may authenticate with <c>private_key_jwt</c>, the algorithms accepted
/// for their assertions are listed, which RFC 8414 §2 requires and OpenIddict leaves out.
/// </summary>
internal sealed class ListOnlyWhatIsSupported : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    private static readonly ImmutableArray<string?> AssertionAlgorithms = [.. ClientAuthentication.AssertionAlgorithms];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<ListOnlyWhatIsSupported>()
        .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.IdTokenSigningAlgorithms.Clear();
        context.SubjectTypes.Clear();
        context.PromptValues.Clear();
        context.Claims.Clear();
        context.Scopes.Remove(OAuth.Scopes.OpenId);
        context.Metadata.Remove(OAuth.Metadata.ClaimsParameterSupported);
        foreach (var name in new[] { "token_endpoint_auth_signing_alg_values_supported", "revocation_endpoint_auth_signing_alg_values_supported", "introspection_endpoint_auth_signing_alg_values_supported" })
        {
            context.Metadata[name] = new OpenIddictParameter(AssertionAlgorithms);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The endpoints the metadata names are at the public origin, like the issuer: OpenIddict builds them from
/// the request's address, which whoever sends the request chooses (its Host header).
/// </summary>
internal sealed class NameEndpointsAtThePublicOrigin(PublicOrigin origin) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<NameEndpointsAtThePublicOrigin>()
        .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 2)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AuthorizationEndpoint = AtOrigin(context.AuthorizationEndpoint);
        context.TokenEndpoint = AtOrigin(context.TokenEndpoint);
        context.RevocationEndpoint = AtOrigin(context.RevocationEndpoint);
        context.IntrospectionEndpoint = AtOrigin(context.IntrospectionEndpoint);
        context.JsonWebKeySetEndpoint = AtOrigin(context.JsonWebKeySetEndpoint);
        return ValueTask.CompletedTask;
    }

    private Uri? AtOrigin(Uri? endpoint) => endpoint is null ? null : new Uri(origin.Combine(endpoint.PathAndQuery));
}
