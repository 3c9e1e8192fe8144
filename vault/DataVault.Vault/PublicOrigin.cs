namespace DataVault.Vault;

/// <summary>
/// The address customers and integrating systems reach the service at (<c>Api:PublicOrigin</c>), e.g.
/// <c>https://vault.example.com</c>. Every absolute URL the service hands out is built from it (the
/// token issuer and its metadata, receipts, links in invitations and e-mails), never from a request's
/// Host header, which whoever sends the request chooses (RFC 9110 §7.2).
/// </summary>
public sealed class PublicOrigin
{
    private PublicOrigin(Uri origin)
    {
        Uri = origin;
        Url = origin.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The origin as a URI (scheme, host and port; no path).</summary>
    public Uri Uri { get; }

    /// <summary>The origin without a trailing slash, e.g. <c>https://vault.example.com</c>: the token issuer (<c>iss</c>).</summary>
    public string Url { get; }

    /// <summary>The host name requests must carry outside Development (<c>AllowedHosts</c>).</summary>
    public string Host => Uri.IdnHost;

    /// <summary>Whether the service is reached over HTTPS.</summary>
    public bool IsHttps => Uri.Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// Reads an origin: an absolute <c>http</c> or <c>https</c> URL with no user, path, query or fragment.
    /// Not named <c>TryParse</c>, so that minimal APIs inject the configured instance instead of binding one from the request.
    /// </summary>
    public static bool TryCreate(string? text, out PublicOrigin? origin)
    {
        origin = null;
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0
            || uri.AbsolutePath != "/"
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            return false;
        }

        origin = new PublicOrigin(uri);
        return true;
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> (which starts with <c>/</c>) at this origin.</summary>
    public string Combine(string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        return pathAndQuery[0] == '/'
            ? Url + pathAndQuery
            : throw new ArgumentException("The path must start with '/'.", nameof(pathAndQuery));
    }

    public override string ToString() => Url;
}
