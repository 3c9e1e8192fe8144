using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace DataVault.Vault.Audit;

/// <summary>
/// SHA-256 through OpenSSL 3's EVP interface, with the digest fetched once. .NET 10.0's own binding
/// starts every digest from <c>EVP_sha256()</c>, which makes OpenSSL 3 look the algorithm up in its
/// provider store again each time (an "implicit fetch"); for an audit entry of a few hundred bytes
/// that costs about as much as the hashing itself. dotnet/runtime#118613 makes the runtime fetch
/// once; this class can go when the runtime in use has it. The fetch goes
/// through OpenSSL's default library context, so the configured providers (FIPS included) apply as
/// they do to .NET's own hashing. Where libcrypto.so.3 is not there (Windows, macOS, OpenSSL 1.1)
/// or does not give the digest .NET gives, <see cref="TryCreate"/> returns null and callers hash
/// with <see cref="IncrementalHash"/>.
/// </summary>
internal sealed class OpenSslSha256 : IDisposable
{
    public const int HashSize = 32;

    private static readonly nint Digest = FetchDigest();

    private readonly Context _context;
    private readonly nint _pointer;

    private OpenSslSha256(Context context)
    {
        _context = context;
        var added = false;
        _context.DangerousAddRef(ref added);
        _pointer = _context.DangerousGetHandle();
    }

    /// <summary>A hasher, or null where OpenSSL 3 cannot be used.</summary>
    public static OpenSslSha256? TryCreate() => Digest == 0 ? null : new OpenSslSha256(Context.Create());

    /// <summary>Writes SHA-256 of <paramref name="data"/> to the first 32 bytes of <paramref name="destination"/>.</summary>
    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSize, nameof(destination));
        if (!Hash(_pointer, Digest, data, destination))
        {
            throw new CryptographicException("OpenSSL could not compute a SHA-256 digest.");
        }
    }

    public void Dispose()
    {
        _context.DangerousRelease();
        _context.Dispose();
    }

    private static bool Hash(nint context, nint digest, ReadOnlySpan<byte> data, Span<byte> destination) =>
        Native.DigestInit(context, digest, 0) == 1
        && Native.DigestUpdate(context, in MemoryMarshal.GetReference(data), (nuint)data.Length) == 1
        && Native.DigestFinal(context, ref MemoryMarshal.GetReference(destination), out var size) == 1
        && size == HashSize;

    /// <summary>SHA-256 fetched once, if OpenSSL 3 is there and hashes as .NET does; otherwise 0.</summary>
    private static nint FetchDigest()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            var digest = Native.Fetch(0, in "SHA256\0"u8[0], 0);
            if (digest == 0)
            {
                return 0;
            }

            // Checked against .NET's SHA-256 before anything relies on this binding.
            var probe = "audit trail"u8;
            Span<byte> expected = stackalloc byte[HashSize];
            Span<byte> actual = stackalloc byte[HashSize];
            SHA256.HashData(probe, expected);
            using var context = Context.Create();
            var added = false;
            context.DangerousAddRef(ref added);
            try
            {
                return Hash(context.DangerousGetHandle(), digest, probe, actual) && actual.SequenceEqual(expected) ? digest : 0;
            }
            finally
            {
                context.DangerousRelease();
            }
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return 0;
        }
    }

    /// <summary>An <c>EVP_MD_CTX</c>, freed with the handle.</summary>
    private sealed class Context : SafeHandleZeroOrMinusOneIsInvalid
    {
        public Context()
            : base(ownsHandle: true)
        {
        }

        public static Context Create()
        {
            var context = Native.ContextNew();
            return context.IsInvalid ? throw new CryptographicException("OpenSSL could not allocate a digest context.") : context;
        }

        protected override bool ReleaseHandle()
        {
            Native.ContextFree(handle);
            return true;
        }
    }

    private static class Native
    {
        private const string Library = "libcrypto.so.3";

        [DllImport(Library, EntryPoint = "EVP_MD_fetch")]
        public static extern nint Fetch(nint libraryContext, in byte algorithm, nint properties);

        [DllImport(Library, EntryPoint = "EVP_MD_CTX_new")]
        public static extern Context ContextNew();

        [DllImport(Library, EntryPoint = "EVP_MD_CTX_free")]
        public static extern void ContextFree(nint context);

        [DllImport(Library, EntryPoint = "EVP_DigestInit_ex")]
        public static extern int DigestInit(nint context, nint digest, nint engine);

        [DllImport(Library, EntryPoint = "EVP_DigestUpdate")]
        public static extern int DigestUpdate(nint context, in byte data, nuint count);

        [DllImport(Library, EntryPoint = "EVP_DigestFinal_ex")]
        public static extern int DigestFinal(nint context, ref byte digest, out uint size);
    }
}
