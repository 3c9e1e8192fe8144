using static DataVault.Policies.Tests.TemporaryCatalogue;

namespace DataVault.Policies.Tests;

public sealed class PurposeVersionTests
{
    private static readonly string BaselineVersion = Load().Purposes["marketing-email"].Version;

    [Fact]
    public void Version_FixedDefinition_IsPinned()
    {
        // Consent events store the version they were given for: if this value changes, every stored consent
        // stops matching its purpose. Change the canonical form only with a migration.
        var purpose = new PurposeDefinition(
            "marketing-email",
            LawfulBasis.Consent,
            ["given_name", "email"],
            new IsoPeriod(2, 0, 0),
            GpcObjection: false,
            new Dictionary<string, LocalizedText>
            {
                ["es"] = new("Correos", "Ofertas por correo."),
                ["en"] = new("Emails", "Offers by email."),
            },
            Version: string.Empty);

        Assert.Equal("d21bb3626e491f86", PurposeVersion.Compute(purpose));
    }

    [Fact]
    public void Version_Canonical_SortsFieldsAndLanguagesAndPrefixesLengths()
    {
        var purpose = new PurposeDefinition(
            "p",
            LawfulBasis.LegitimateInterests,
            ["b", "a"],
            new IsoPeriod(0, 6, 0),
            GpcObjection: true,
            new Dictionary<string, LocalizedText> { ["es"] = new("Tí", "D"), ["en"] = new("T", "D") },
            Version: string.Empty);

        Assert.Equal(
            "datavault.purpose.v1\nid=1:p\nlawful_basis=20:legitimate-interests\nfields=1:2\nfield=1:a\nfield=1:b\n"
            + "retention=3:P6M\ngpc_objection=4:true\nlanguages=1:2\nlanguage=2:en\ntitle=1:T\ndescription=1:D\n"
            + "language=2:es\ntitle=3:Tí\ndescription=1:D\n",
            PurposeVersion.Canonicalize(purpose));
    }

    [Fact]
    public void Version_FieldsReordered_Unchanged()
    {
        var purposes = Edit(Purposes, "fields: [email, given_name, preferred_language]", "fields: [preferred_language, email, given_name]");

        Assert.Equal(BaselineVersion, Load(purposes: purposes).Purposes["marketing-email"].Version);
    }

    [Fact]
    public void Version_LanguagesReorderedAndTextReformatted_Unchanged()
    {
        var purposes = Edit(
            Purposes,
            "      en:\n        title: Marketing emails\n        description: >-\n          With your consent, we send you offers\n          by email.\n"
            + "      es:\n        title: Correos de marketing\n        description: Con tu consentimiento, te enviamos ofertas por correo.\n",
            "      es:\n        description: \"Con tu consentimiento, te enviamos ofertas por correo. \"\n        title: Correos de marketing\n"
            + "      en:\n        title: 'Marketing emails'\n        description: With your consent, we send you offers by email.\n");

        Assert.Equal(BaselineVersion, Load(purposes: purposes).Purposes["marketing-email"].Version);
    }

    [Fact]
    public void Version_GpcObjectionOmittedInsteadOfFalse_Unchanged()
    {
        var purposes = Edit(Purposes, "    gpc_objection: false\n", string.Empty);

        Assert.Equal(BaselineVersion, Load(purposes: purposes).Purposes["marketing-email"].Version);
    }

    [Fact]
    public void Version_MarkedAsDirectMarketing_Unchanged()
    {
        // Marking a purpose as direct marketing must not void the consents already given to it.
        var purposes = Edit(Purposes, "gpc_objection: false", "gpc_objection: false\n    direct_marketing: true");

        var marked = Load(purposes: purposes).Purposes["marketing-email"];

        Assert.True(marked.DirectMarketing);
        Assert.Equal(BaselineVersion, marked.Version);
    }

    [Fact]
    public void Version_OtherPurposeChanged_Unchanged()
    {
        var purposes = Edit(Purposes, "title: Invoicing", "title: Invoices");

        Assert.Equal(BaselineVersion, Load(purposes: purposes).Purposes["marketing-email"].Version);
    }

    [Theory]
    [InlineData("  - id: marketing-email\n", "  - id: marketing-mail\n", "marketing-mail")]
    [InlineData("lawful_basis: consent", "lawful_basis: legitimate-interests", "marketing-email")]
    [InlineData("fields: [email, given_name, preferred_language]", "fields: [email, given_name, preferred_language, phone]", "marketing-email")]
    [InlineData("fields: [email, given_name, preferred_language]", "fields: [email, preferred_language]", "marketing-email")]
    [InlineData("    retention: P2Y\n    gpc_objection", "    retention: P1Y\n    gpc_objection", "marketing-email")]
    [InlineData("    retention: P2Y\n    gpc_objection", "    retention: P24M\n    gpc_objection", "marketing-email")]
    [InlineData("gpc_objection: false", "gpc_objection: true", "marketing-email")]
    [InlineData("title: Marketing emails", "title: Marketing e-mails", "marketing-email")]
    [InlineData("title: Correos de marketing", "title: Correos electrónicos de marketing", "marketing-email")]
    [InlineData("te enviamos ofertas por correo.", "te enviamos ofertas por correo electrónico.", "marketing-email")]
    [InlineData("          by email.\n", "          by e-mail.\n", "marketing-email")]
    [InlineData("        description: Con tu consentimiento, te enviamos ofertas por correo.\n", "        description: Con tu consentimiento, te enviamos ofertas por correo.\n      ca:\n        title: Correus de màrqueting\n        description: Amb el teu consentiment, t'enviem ofertes per correu.\n", "marketing-email")]
    public void Version_DefinitionChanged_Changes(string find, string replace, string id)
    {
        var purposes = Edit(Purposes, find, replace);

        var version = Load(purposes: purposes).Purposes[id].Version;

        Assert.NotEqual(BaselineVersion, version);
        Assert.Matches("^[0-9a-f]{16}$", version);
    }

    [Fact]
    public void Version_LanguageRemoved_Changes()
    {
        var purposes = Edit(
            Purposes,
            "      es:\n        title: Correos de marketing\n        description: Con tu consentimiento, te enviamos ofertas por correo.\n",
            string.Empty);

        Assert.NotEqual(BaselineVersion, Load(purposes: purposes).Purposes["marketing-email"].Version);
    }

    [Fact]
    public void Version_TextMovedBetweenTitleAndDescription_Changes()
    {
        var a = new PurposeDefinition(
            "p", LawfulBasis.Consent, ["a"], new IsoPeriod(1, 0, 0), false,
            new Dictionary<string, LocalizedText> { ["en"] = new("ab", "c") }, string.Empty);
        var b = a with { Text = new Dictionary<string, LocalizedText> { ["en"] = new("a", "bc") } };

        Assert.NotEqual(PurposeVersion.Compute(a), PurposeVersion.Compute(b));
    }
}
