using System.Security.Cryptography;
using System.Text;
using DataVault.Vault.Encryption;

namespace DataVault.Vault.Tests;

public sealed class FieldCipherTests
{
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("\"ana@example.com\"");

    [Fact]
    public void Decrypt_SameBinding_ReturnsPlaintext()
    {
        var key = DataKey.Generate();
        var envelope = FieldCipher.Encrypt(key, "subject-a", "email", 1, Plaintext);

        Assert.Equal(Plaintext, FieldCipher.Decrypt(key, "subject-a", "email", 1, envelope));
        Assert.Equal(0x01, envelope[0]);
        Assert.Equal(1 + 12 + 16 + Plaintext.Length, envelope.Length);
    }

    [Fact]
    public void Encrypt_SameValueTwice_UsesFreshNonces()
    {
        var key = DataKey.Generate();

        Assert.NotEqual(FieldCipher.Encrypt(key, "s", "email", 1, Plaintext), FieldCipher.Encrypt(key, "s", "email", 1, Plaintext));
    }

    [Theory]
    [InlineData("subject-b", "email", 1)]
    [InlineData("subject-a", "phone", 1)]
    [InlineData("subject-a", "email", 2)]
    [InlineData("subject-ae", "mail", 1)]
    public void Decrypt_MovedToAnotherSubjectFieldOrVersion_Fails(string subject, string field, int version)
    {
        var key = DataKey.Generate();
        var envelope = FieldCipher.Encrypt(key, "subject-a", "email", 1, Plaintext);

        Assert.ThrowsAny<CryptographicException>(() => FieldCipher.Decrypt(key, subject, field, version, envelope));
    }

    [Fact]
    public void Decrypt_TamperedOrWrongKey_Fails()
    {
        var key = DataKey.Generate();
        var envelope = FieldCipher.Encrypt(key, "s", "email", 1, Plaintext);
        var tampered = (byte[])envelope.Clone();
        tampered[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => FieldCipher.Decrypt(key, "s", "email", 1, tampered));
        Assert.ThrowsAny<CryptographicException>(() => FieldCipher.Decrypt(DataKey.Generate(), "s", "email", 1, envelope));
        Assert.ThrowsAny<CryptographicException>(() => FieldCipher.Decrypt(key, "s", "email", 1, envelope.AsSpan(0, 10)));
    }

    [Fact]
    public void DataKey_ToString_HidesTheBytes()
    {
        Assert.Equal("DataKey(***)", DataKey.Generate().ToString());
    }
}
