using QRCoder;

namespace DataVault.Portal;

/// <summary>
/// The authenticator set-up link (Google's Key URI Format, <c>otpauth://totp/...</c>, RFC 6238 with
/// Identity's defaults: SHA-1, 6 digits, 30 seconds) and its QR code, drawn on the server as a PNG
/// data URI so the page needs no script and sends the key to no third party.
/// </summary>
internal static class AuthenticatorQrCode
{
    private const int PixelsPerModule = 5;

    public static string KeyUri(string issuer, string accountName, string sharedKey) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(accountName)}?secret={sharedKey}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";

    /// <summary>The QR code as a PNG data URI, and its width and height in pixels (quiet zone included).</summary>
    public static (string DataUri, int Size) Png(string keyUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(keyUri, QRCodeGenerator.ECCLevel.M);
        using var code = new PngByteQRCode(data);
        var png = code.GetGraphic(PixelsPerModule);
        return ("data:image/png;base64," + Convert.ToBase64String(png), data.ModuleMatrix.Count * PixelsPerModule);
    }

    /// <summary>The base32 key in groups of four, easier to type by hand.</summary>
    public static string Format(string sharedKey) =>
        string.Join(' ', sharedKey.Chunk(4).Select(group => new string(group))).ToLowerInvariant();
}
