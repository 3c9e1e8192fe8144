using System.Buffers.Text;
using System.Security.Cryptography;

namespace DataVault.Vault.Accounts;

/// <summary>
/// The secret of a one-time link the vault e-mails (an invitation, a password reset): 256 random bits,
/// base64url in the link (43 characters). Only its SHA-256 is stored: a random 256-bit value cannot be
/// guessed from its hash, so no slow hash or salt is needed (unlike a password), and a stolen table does
/// not yield working links.
/// </summary>
internal sealed class LinkToken
{
    private const int Size = 32;
    private readonly byte[] _bytes;

    private LinkToken(byte[] bytes) => _bytes = bytes;

    /// <summary>The token as it goes into the link.</summary>
    public string Value => Base64Url.EncodeToString(_bytes);

    public static LinkToken New() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>The token from a link, or null when the text cannot be one (wrong length or alphabet).</summary>
    public static LinkToken? Parse(string? text)
    {
        if (text is not { Length: 43 })
        {
            return null;
        }

        var bytes = new byte[Size];
        return Base64Url.TryDecodeFromChars(text, bytes, out var written) && written == Size ? new LinkToken(bytes) : null;
    }

    public byte[] Hash() => SHA256.HashData(_bytes);

    public override string ToString() => "LinkToken(***)";
}
