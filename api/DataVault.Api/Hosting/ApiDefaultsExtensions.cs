using System.Text.Json.Serialization;
using DataVault.Api.Errors;
using DataVault.Api.OpenApi;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DataVault.Api.Hosting;

internal static class ApiDefaultsExtensions
{
    /// <summary>Problem Details for every error, strict JSON, and request-size limits.</summary>
    public static void AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>()
            .Bind(builder.Configuration.GetSection(ApiOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The hosting diagnostics log each request's URL, and a lookup URL carries an e-mail address or
        // phone number. A floor, so no logging setting can turn it back on.
        builder.Services.AddLogFloor("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        // Malformed input reaches ApiExceptionHandler as BadHttpRequestException in every
        // environment, so it becomes a 400 Problem Details with a useful message instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        builder.Services.Configure<JsonOptions>(o =>
        {
            // Unknown properties are an error, not silently dropped: a typo must not look like success.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower));
        });

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetValue(
                $"{ApiOptions.SectionName}:{nameof(ApiOptions.MaxRequestBodyBytes)}", new ApiOptions().MaxRequestBodyBytes);
        });
    }

    public static void UseApiDefaults(this WebApplication app)
    {
        // First: HSTS, Secure cookies and rate limits see the scheme and address a known proxy reports.
        app.UseForwardedHeadersFromKnownProxies();
        if (!app.Environment.IsDevelopment())
        {
            // Browsers that once reached the vault over HTTPS never fall back to plain HTTP (sent on HTTPS answers only).
            app.UseHsts();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
    }

    /// <summary>Prints where the API, Swagger UI and health endpoint are once the server listens.</summary>
    public static void AnnounceAddressesOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DataVault.Api.Hosting.Startup");
            var vault = app.Services.GetRequiredService<IOptions<DataVault.Vault.VaultOptions>>().Value;
            var swaggerUi = app.ServesSwaggerUi() ? "/swagger" : "off (Api:SwaggerUi)";
            foreach (var address in app.Urls)
            {
                Log.Listening(logger, address, swaggerUi);
            }

            var dataDirectory = Path.GetFullPath(vault.DataDirectory);
            Log.DataDirectory(logger, dataDirectory);
        });
    }
}
