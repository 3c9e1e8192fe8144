using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataVault.Client;

/// <summary>
/// Verifies a webhook delivery as Standard Webhooks defines it: the HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// keyed with the subscription's secret (<c>whsec_…</c>), must equal one of the space-separated <c>v1,…</c> signatures
/// in <c>webhook-signature</c> (compared in constant time), and the timestamp must lie within the tolerance of now,
/// so a captured delivery cannot be replayed later.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>Standard Webhooks' recommended tolerance.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private const string Version = "v1,";

    private readonly byte[][] _keys;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <summary>A verifier for one secret.</summary>
    /// <param name="secret">The subscription's secret, <c>whsec_</c> and base64, as shown once when created or rotated.</param>
    public WebhookVerifier(string secret)
        : this([secret])
    {
    }

    /// <summary>A verifier accepting a signature by any of <paramref name="secrets"/> (during a rotation: the new and the old).</summary>
    /// <param name="secrets">The secrets, <c>whsec_</c> and base64.</param>
    /// <param name="tolerance">How far <c>webhook-timestamp</c> may lie from now either way; <see cref="DefaultTolerance"/> if null.</param>
    /// <param name="time">The clock; the system's if null.</param>
    public WebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(Key)];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }

        _tolerance = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThan(_tolerance, TimeSpan.Zero, nameof(tolerance));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Verifies a delivery and reads its event; <see cref="WebhookVerificationException"/> if it must not be trusted.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header (Unix seconds).</param>
    /// <param name="signature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The request body, exactly as received.</param>
    public WebhookEvent Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        VerifySignature(id, timestamp, signature, body);
        WebhookEvent parsed;
        try
        {
            parsed = WebhookEvent.Parse(body);
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new WebhookVerificationException("The signed body is not a DataVault webhook event.", exception);
        }

        return parsed.Data.Id == id ? parsed : throw new WebhookVerificationException("The webhook-id header does not match the event's id.");
    }

    /// <summary>Checks the headers and signature only, for any body; <see cref="WebhookVerificationException"/> if it fails.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header (Unix seconds).</param>
    /// <param name="signature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The request body, exactly as received.</param>
    public void VerifySignature(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            throw new WebhookVerificationException("The webhook-id, webhook-timestamp and webhook-signature headers are required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new WebhookVerificationException("The webhook-timestamp header is not a Unix time in seconds.");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)_tolerance.TotalSeconds)
        {
            throw new WebhookVerificationException("The webhook-timestamp is outside the tolerance: too old, or from the future.");
        }

        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{id}.{seconds}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        var expected = _keys.Select(key => HMACSHA256.HashData(key, content)).ToArray();

        var matched = false;
        foreach (var candidate in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!candidate.StartsWith(Version, StringComparison.Ordinal))
            {
                // Other schemes (e.g. v1a) are for other verifiers.
                continue;
            }

            var given = new byte[SHA256.HashSizeInBytes];
            if (!Convert.TryFromBase64String(candidate[Version.Length..], given, out var length) || length != given.Length)
            {
                continue;
            }

            foreach (var mac in expected)
            {
                // Every comparison runs to the end, whatever matched before: the time taken tells nothing.
                matched |= CryptographicOperations.FixedTimeEquals(mac, given);
            }
        }

        if (!matched)
        {
            throw new WebhookVerificationException("No signature in webhook-signature verifies with the secret.");
        }
    }

    private static byte[] Key(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var length) && length > 0
            ? buffer[..length]
            : throw new ArgumentException("A webhook secret is whsec_ followed by base64.", nameof(secret));
    }
}
