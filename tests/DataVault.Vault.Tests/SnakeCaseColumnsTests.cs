using DataVault.Vault.Storage;

namespace DataVault.Vault.Tests;

public sealed class SnakeCaseColumnsTests
{
    [Theory]
    [InlineData("Id", "id")]
    [InlineData("SubjectId", "subject_id")]
    [InlineData("ProtectedPrivateKey", "protected_private_key")]
    [InlineData("PublicJwk", "public_jwk")]
    [InlineData("Sha256Hash", "sha256_hash")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("TraceID", "trace_id")]
    public void Name_PropertyName_IsItsSnakeCase(string property, string column)
    {
        Assert.Equal(column, SnakeCaseColumns.Name(property));
    }
}
