using DataVault.Api.Authorization;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace DataVault.Api.OpenApi;

/// <summary>
/// The OpenAPI document (Swashbuckle) and Swagger UI. The served document is the contract:
/// <c>openapi.yaml</c> at the repository root is a committed copy, and a test fails when they differ.
/// </summary>
internal static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string OAuthScheme = "oauth2";

    private static readonly Dictionary<string, string> ScopeDescriptions = new(StringComparer.Ordinal)
    {
        [Scopes.SubjectsRead] = "Read subjects and look them up.",
        [Scopes.SubjectsWrite] = "Create subjects and rectify their fields.",
        [Scopes.ConsentsWrite] = "Record consent events, restrictions and objections.",
        [Scopes.SubjectsErase] = "Erase subjects (crypto-shredding).",
        [Scopes.AuditRead] = "Search, export and verify the audit trail.",
        [Scopes.RequestsManage] = "Handle data-subject requests.",
        [Scopes.SubjectsInvite] = "Have the vault e-mail a subject an invitation to the privacy portal.",
        [Scopes.ChangesRead] = "Read the change feed: withdrawals, objections, restrictions, rectifications and erasures of data the client received or provided.",
    };

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "DataVault API",
                Version = "v1",
                Description = "GDPR consent and customer-data vault. Personal data is stored encrypted per subject; every error is RFC 9457 Problem Details.",
            });
            options.AddSecurityDefinition(OAuthScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "OAuth 2.0 from the built-in authorization server; access tokens are RFC 9068 JWTs. Systems use client credentials (RFC 6749 §4.4); "
                    + "a person using a system's screens, the authorization code flow with PKCE (RFC 7636), which acts for that person within the system's own scopes and purposes.",
                Flows = new OpenApiOAuthFlows
                {
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = ScopeDescriptions,
                    },
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = new Uri("/connect/authorize", UriKind.Relative),
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        RefreshUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = ScopeDescriptions,
                    },
                },
            });
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.OperationFilter<AuthorizationOperationFilter>();
            options.DocumentFilter<TagDescriptionsDocumentFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, "DataVault.Api.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
        });

        // The API's routes are minimal APIs and serialize with the HTTP JsonOptions (string enums and
        // the rest of AddApiDefaults). Swashbuckle documents with MVC's JsonOptions whenever MVC is
        // registered, and the portal's Razor Pages register it, so the document is pinned to the former.
        services.Replace(ServiceDescriptor.Singleton<ISerializerDataContractResolver>(provider => new JsonSerializerDataContractResolver(
            provider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            provider.GetRequiredService<IOptions<SchemaGeneratorOptions>>().Value)));
        return services;
    }

    /// <summary>The OpenAPI document always; Swagger UI in Development, or elsewhere when <c>Api:SwaggerUi</c> is true.</summary>
    public static void MapApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        if (!app.ServesSwaggerUi())
        {
            // An interactive console with a token form is a tool for developers, not part of a production surface.
            return;
        }

        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "DataVault API v1");
            ui.DocumentTitle = "DataVault API";
            ui.EnablePersistAuthorization();

            // "Authorize": client credentials with a registered client's id and secret, or the code flow
            // with PKCE as the public client swagger-ui (registered at first start in Development).
            ui.OAuthClientId(Hosting.DemoClient.SwaggerUiClientId);
            ui.OAuthUsePkce();
            ui.OAuthAppName("DataVault API");
        });
    }

    public static bool ServesSwaggerUi(this WebApplication app) =>
        app.Environment.IsDevelopment() || app.Services.GetRequiredService<IOptions<Hosting.ApiOptions>>().Value.SwaggerUi;

    /// <summary>Describes each tag, so generated clients and the Swagger UI explain the groups.</summary>
    private sealed class TagDescriptionsDocumentFilter : IDocumentFilter
    {
        private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
        {
            ["Subjects"] = "Data subjects and their encrypted personal data: create, read, rectify (Art. 16), erase (Art. 17), look up.",
            ["Operations"] = "Service status for operators.",
            ["Consents"] = "Consent events with proof and signed receipts (Art. 7), objections (Art. 21) and restriction (Art. 18).",
            ["Audit"] = "The tamper-evident audit trail: search, export, verification and signed checkpoints.",
            ["Purposes"] = "The purpose catalogue, and the export of subjects released for a purpose.",
        };

        public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
        {
            swaggerDoc.Tags = Descriptions
                .Select(d => new OpenApiTag { Name = d.Key, Description = d.Value })
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToHashSet();
        }
    }

    /// <summary>Marks operations that require a token, and documents their 401 and 403 answers.</summary>
    private sealed class AuthorizationOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
            {
                return;
            }

            var scopes = metadata.OfType<RequiredScope>().Select(s => s.Scope).ToList();
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(OAuthScheme, context.Document)] = scopes,
            });
            operation.Responses ??= [];
            var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
            operation.Responses.TryAdd("401", ProblemResponse("Missing, expired or invalid access token.", problem));
            operation.Responses.TryAdd("403", ProblemResponse("The token lacks the scope or purpose this operation needs.", problem));
        }

        private static OpenApiResponse ProblemResponse(string description, IOpenApiSchema schema) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
        };
    }
}
