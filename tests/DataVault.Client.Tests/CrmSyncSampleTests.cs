using CrmSync;
using DataVault.Testing;

namespace DataVault.Client.Tests;

public sealed class CrmSyncSampleTests
{
    [Theory]
    [InlineData("Ana", "Ana")]
    [InlineData("", "")]
    [InlineData("García, Ana", "\"García, Ana\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+34 600 123 456", "'+34 600 123 456")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    public void Cell_Value_IsQuotedAndNeutralised(string value, string expected)
    {
        Assert.Equal(expected, CsvFormat.Cell(value));
    }

    [Fact]
    public async Task WriteAsync_ConsentedAndOtherSubjects_WritesOnlyReleasedSubjectsAndFields()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var ana = await TestData.CreateConsentedSubjectAsync(vault, "ana@example.com", "Ana");
        var formula = await TestData.CreateConsentedSubjectAsync(vault, "joe@example.com", "=cmd|' /C calc'!A0");
        await vault.CreateSubjectAsync(TestData.Subject("noconsent@example.com", "Nope"));
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "export.csv");

        var count = await ReleasedSubjectsExport.WriteAsync(vault, TestData.MarketingEmail, path, CancellationToken.None);

        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n");
        Assert.Equal(2, count);
        Assert.Equal("subject_id,email,given_name,preferred_language,interests", lines[0]);
        Assert.Contains($"{ana},ana@example.com,Ana,es,books; travel", lines);
        Assert.Contains($"{formula},joe@example.com,'=cmd|' /C calc'!A0,es,books; travel", lines);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.DoesNotContain("noconsent", string.Join('\n', lines), StringComparison.Ordinal);
        Assert.DoesNotContain("+34", string.Join('\n', lines), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public async Task WriteAsync_UnknownPurpose_ThrowsWithoutWritingAFile()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "export.csv");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReleasedSubjectsExport.WriteAsync(vault, "no-such-purpose", path, CancellationToken.None));

        Assert.Contains("marketing-email", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void TryParse_SecretFromEnvironment_IsUsedAndNeverPrinted()
    {
        var environment = new Dictionary<string, string> { ["DATAVAULT_CLIENT_ID"] = "demo-crm", ["DATAVAULT_CLIENT_SECRET"] = "env-secret-value" };

        var ok = SyncArguments.TryParse(
            ["--base-url", "http://localhost:5080", "--purpose", "marketing-email", "--output", "out.csv"], environment.GetValueOrDefault, out var parsed, out _);

        Assert.True(ok);
        Assert.Equal("demo-crm", parsed!.ClientId);
        Assert.Equal("env-secret-value", parsed.ClientSecret);
        Assert.DoesNotContain("env-secret-value", parsed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MissingCredentials_NamesWhatIsMissing()
    {
        var ok = SyncArguments.TryParse(["--base-url", "http://localhost:5080", "--purpose", "marketing-email", "--output", "out.csv"], _ => null, out _, out var error);

        Assert.False(ok);
        Assert.Contains("DATAVAULT_CLIENT_ID", error, StringComparison.Ordinal);
        Assert.Contains("DATAVAULT_CLIENT_SECRET", error, StringComparison.Ordinal);
    }
}
