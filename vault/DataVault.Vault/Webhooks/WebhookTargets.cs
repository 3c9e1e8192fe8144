using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Webhooks;

/// <summary>
/// Where deliveries may go. A subscription's URL is checked when it is given (absolute, https outside Development,
/// no credentials or fragment), and every address a delivery connects to is checked when it connects, after name
/// resolution, so a name that later resolves to the vault's own network (DNS rebinding) is refused too: a client
/// must not be able to make the vault call into its own network (server-side request forgery). Without a host
/// environment (a bare service provider) the production rules hold.
/// </summary>
internal sealed class WebhookTargets(IOptions<WebhookOptions> options, IHostEnvironment? environment)
{
    public const int MaxUrlLength = 2048;

    public bool AllowsHttp => options.Value.AllowHttp ?? environment?.IsDevelopment() ?? false;

    public bool AllowsPrivateNetworks => options.Value.AllowPrivateNetworks ?? (environment is not null && (environment.IsDevelopment() || environment.IsEnvironment("Testing")));

    /// <summary>Null when <paramref name="url"/> may be subscribed; else why not, fit for a validation error.</summary>
    public string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"Must be an absolute URL of at most {MaxUrlLength} characters.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && AllowsHttp))
        {
            return AllowsHttp ? "Must be an http or https URL." : "Must be an https URL.";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "Must not hold credentials or a fragment.";
        }

        if (!AllowsPrivateNetworks && (uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && !IsPublic(address))))
        {
            return "Must not point at a loopback, private or link-local address.";
        }

        return null;
    }

    /// <summary>Whether a delivery may connect to <paramref name="address"/>.</summary>
    public bool MayConnect(IPAddress address) => AllowsPrivateNetworks || IsPublic(address);

    /// <summary>Whether <paramref name="address"/> is on the public internet: not loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), documentation (RFC 5737, RFC 3849), benchmarking, unspecified, multicast or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2))
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)
                || b[0] >= 224);
        }

        var bytes = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b)
            || (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8));
    }

    /// <summary>
    /// Connects as <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses it unless every
    /// address may be connected to (so a name with one private address among public ones is refused), then connects.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        if (addresses.Length == 0 || !addresses.All(MayConnect))
        {
            throw new WebhookTargetRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A delivery's host resolved to an address deliveries may not go to; nothing was sent.</summary>
internal sealed class WebhookTargetRefusedException() : Exception("The webhook's host resolves to an address deliveries may not go to.");
