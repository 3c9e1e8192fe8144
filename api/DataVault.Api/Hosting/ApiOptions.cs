using System.ComponentModel.DataAnnotations;

namespace DataVault.Api.Hosting;

/// <summary>Settings of the HTTP surface, bound from the <c>Api</c> section and validated at start.</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest accepted request body; larger ones get 413 before anything is read. Default: 64 KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The address customers and clients reach the service at, e.g. <c>https://vault.example.com</c>: the
    /// token issuer, metadata and key URLs, receipts and links are built from it, never from a request's
    /// Host header. Required outside Development; there, the default is the first address in <c>urls</c>.
    /// Read at start by <see cref="PublicOriginExtensions"/>.
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>
    /// Serve Swagger UI (<c>/swagger</c>) outside Development too. Default: false; in Development it is always
    /// served. The OpenAPI document itself (<c>/swagger/v1/swagger.yaml</c>) is always served: it is the contract.
    /// </summary>
    public bool SwaggerUi { get; set; }
}
