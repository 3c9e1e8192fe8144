using System.Security.Cryptography;
using System.Text;

namespace DataVault.Vault.Webhooks;

/// <summary>
/// A subscription's signing secret, as Standard Webhooks writes it: <c>whsec_</c> and the key in base64. The key is
/// the HMAC key itself (the receiver needs it to verify), so it is stored protected, never hashed, and shown once.
/// </summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";

    // 32 bytes: the block-size-independent strength of HMAC-SHA256; Standard Webhooks allows 24 to 64.
    private const int KeyBytes = 32;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    internal ReadOnlySpan<byte> Key => _key;

    public static WebhookSecret New() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>Reads <c>whsec_…</c> (or the bare base64 key); false for anything else.</summary>
    public static bool TryParse(string text, out WebhookSecret? secret)
    {
        ArgumentNullException.ThrowIfNull(text);
        secret = null;
        var encoded = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length == 0)
        {
            return false;
        }

        secret = new WebhookSecret(buffer[..length]);
        return true;
    }

    /// <summary>The secret as the receiver configures it. Call only to show it once, or to store it protected.</summary>
    public string Reveal() => Prefix + Convert.ToBase64String(_key);

    /// <summary>Never the key: a secret that reaches a log or a string by mistake shows nothing.</summary>
    public override string ToString() => Prefix + "…";

    /// <summary>
    /// The Standard Webhooks v1 signature: <c>v1,</c> and the base64 HMAC-SHA256, keyed with the secret, of
    /// <c>{id}.{timestamp}.{body}</c>.
    /// </summary>
    public string Sign(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(id);
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{id}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, content));
    }
}
