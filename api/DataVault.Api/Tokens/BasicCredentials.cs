using System.Net;
using System.Text;

namespace DataVault.Api.Tokens;

/// <summary>HTTP Basic client authentication as RFC 6749 §2.3.1 defines it: both parts form-url-encoded.</summary>
internal static class BasicCredentials
{
    public static bool IsBasic(string authorization) => authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The client id and secret of a <c>Basic</c> header, or false when it is malformed.</summary>
    public static bool TryParse(string authorization, out string clientId, out string secret)
    {
        clientId = secret = string.Empty;
        if (!IsBasic(authorization))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var separator = decoded.IndexOf(':', StringComparison.Ordinal);
            if (separator < 0)
            {
                return false;
            }

            clientId = WebUtility.UrlDecode(decoded[..separator]);
            secret = WebUtility.UrlDecode(decoded[(separator + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
