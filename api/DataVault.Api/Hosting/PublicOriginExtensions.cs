using System.Net;
using DataVault.Vault;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;

namespace DataVault.Api.Hosting;

/// <summary>
/// Where the service is reached, and what it believes about a request's origin. The public origin
/// comes from configuration (<c>Api:PublicOrigin</c>) and is the only source of the absolute URLs the
/// service hands out; outside Development, requests for any other host are refused (host filtering).
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> and <c>ForwardedHeaders:KnownNetworks</c>: anyone else could
/// claim to be anyone, over HTTPS, from any address.
/// </summary>
internal static class PublicOriginExtensions
{
    private const string ProxySection = "ForwardedHeaders";

    // Kestrel's address when none is configured (ASP.NET Core's default URL).
    private const string KestrelDefaultUrl = "http://localhost:5000";

    /// <summary>Settings that the public origin replaced; the service refuses to start while they are set, so none is silently ignored.</summary>
    private static readonly string[] FormerSettings = ["TokenService:Issuer", "Portal:PublicBaseUrl"];

    public static void AddPublicOrigin(this WebApplicationBuilder builder)
    {
        var origin = Resolve(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(origin);

        if (!builder.Environment.IsDevelopment())
        {
            // Requests must name the public host (or a host the operator lists in AllowedHosts, e.g. for a
            // health probe); a wildcard there does not open the service to every Host header.
            var extra = (builder.Configuration["AllowedHosts"] ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(h => h != "*");
            string[] allowed = [origin.Host, .. extra];
            builder.Services.PostConfigure<HostFilteringOptions>(o =>
            {
                o.AllowedHosts = allowed;
                o.AllowEmptyHosts = false;
            });
        }

        var proxies = ReadProxies(builder.Configuration);
        builder.Services.AddSingleton(proxies);

        // Also governs the middleware ASPNETCORE_FORWARDEDHEADERS_ENABLED would add: with no proxy
        // configured it forwards nothing, instead of believing every sender.
        builder.Services.PostConfigure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = proxies.Any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxies.Addresses)
            {
                o.KnownProxies.Add(address);
            }

            foreach (var network in proxies.Networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            o.ForwardLimit = proxies.ForwardLimit;
        });
    }

    /// <summary>First in the pipeline: the client's address and scheme as a known proxy reports them (RFC 7239's de-facto headers).</summary>
    public static void UseForwardedHeadersFromKnownProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<KnownProxies>().Any)
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>The configured public origin; in Development without one, the first address the server is told to listen on.</summary>
    /// <exception cref="ServiceConfigurationException">It is missing outside Development, malformed, or a former setting is still present.</exception>
    internal static PublicOrigin Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        if (FormerSettings.FirstOrDefault(key => !string.IsNullOrWhiteSpace(configuration[key])) is { } former)
        {
            throw new ServiceConfigurationException(
                $"DataVault cannot start: the setting {former} was replaced by Api:PublicOrigin, the one address the service uses for its token issuer, metadata, receipts and links. "
                + $"Set Api:PublicOrigin (for example the environment variable Api__PublicOrigin=https://vault.example.com) to the address customers and clients use, and remove {former}.");
        }

        var configured = configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.PublicOrigin)}"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (environment.IsDevelopment() && PublicOrigin.TryCreate(FirstListeningUrl(configuration), out var local))
            {
                return local!;
            }

            throw new ServiceConfigurationException(
                "DataVault cannot start: Api:PublicOrigin is not set. Outside Development the service builds its token issuer, its metadata and key URLs, consent receipts and the links it sends "
                + "from this one configured address, never from the Host header of a request, and answers only requests for that host. "
                + "Set it to the scheme and host (and port, if not the default) that customers and clients use, for example the environment variable Api__PublicOrigin=https://vault.example.com; "
                + "behind a reverse proxy also list the proxy in ForwardedHeaders:KnownProxies or ForwardedHeaders:KnownNetworks.");
        }

        return PublicOrigin.TryCreate(configured, out var origin)
            ? origin!
            : throw new ServiceConfigurationException(
                $"DataVault cannot start: Api:PublicOrigin is '{configured}', which is not an origin. "
                + "It must be an absolute http or https URL with a host and optionally a port, and no path, query or user name, for example https://vault.example.com or http://localhost:5080.");
    }

    /// <summary>The proxies whose forwarded headers are believed.</summary>
    /// <exception cref="ServiceConfigurationException">An entry is not an IP address or a network in CIDR notation.</exception>
    internal static KnownProxies ReadProxies(IConfiguration configuration)
    {
        var section = configuration.GetSection(ProxySection);
        var addresses = new List<IPAddress>();
        foreach (var entry in Entries(section.GetSection("KnownProxies")))
        {
            addresses.Add(IPAddress.TryParse(entry, out var address) ? address : throw BadProxy("KnownProxies", entry, "an IP address such as 10.0.0.5"));
        }

        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in Entries(section.GetSection("KnownNetworks")))
        {
            networks.Add(System.Net.IPNetwork.TryParse(entry, out var network) ? network : throw BadProxy("KnownNetworks", entry, "a network in CIDR notation such as 10.0.0.0/8"));
        }

        var limit = section.GetValue<int?>("ForwardLimit") ?? 1;
        return limit is >= 1 and <= 10
            ? new KnownProxies(addresses, networks, limit)
            : throw new ServiceConfigurationException(
                $"DataVault cannot start: ForwardedHeaders:ForwardLimit is {limit}; it is the number of proxies in front of the service that add forwarded headers, from 1 to 10 (default 1).");
    }

    /// <summary>Entries given as a list (<c>KnownProxies:0</c>, ...) or as one value separated by commas or semicolons.</summary>
    private static IEnumerable<string> Entries(IConfigurationSection section) =>
        section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static ServiceConfigurationException BadProxy(string key, string entry, string expected) => new(
        $"DataVault cannot start: ForwardedHeaders:{key} contains '{entry}', which is not {expected}. "
        + "List only the reverse proxies in front of the service: forwarded headers from any other sender are ignored.");

    /// <summary>The first address of <c>urls</c> (as <c>dotnet run</c> sets it from the launch profile), with a wildcard host read as localhost.</summary>
    private static string FirstListeningUrl(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? KestrelDefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? KestrelDefaultUrl;
        foreach (var wildcard in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return first;
    }
}

/// <summary>The reverse proxies whose <c>X-Forwarded-*</c> headers are believed (<c>ForwardedHeaders</c> section).</summary>
internal sealed record KnownProxies(IReadOnlyList<IPAddress> Addresses, IReadOnlyList<System.Net.IPNetwork> Networks, int ForwardLimit)
{
    public bool Any => Addresses.Count > 0 || Networks.Count > 0;
}
