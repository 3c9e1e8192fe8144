using DataVault.Testing;

namespace DataVault.Policies.Tests;

/// <summary>The catalogue in <c>policies/catalogue</c> is what the product ships; these pin what other code relies on.</summary>
public sealed class ShippedCatalogueTests
{
    private static readonly string[] AllLanguages = ["en", "es", "ca", "it", "et"];

    private readonly PolicyCatalogue catalogue = PolicyCatalogueLoader.Load(TestPaths.Catalogue);

    [Fact]
    public void Load_ShippedCatalogue_HasStandardAndLegalHoldGroups()
    {
        Assert.Null(catalogue.KeyGroups["standard"].RetainAfterErasure);
        Assert.Equal(IsoPeriod.Parse("P10Y"), catalogue.KeyGroups["legal-hold"].RetainAfterErasure);
        Assert.All(catalogue.KeyGroups.Values, group => Assert.False(string.IsNullOrWhiteSpace(group.Description)));
    }

    [Theory]
    [InlineData("email", FieldType.Email, "user.contact.email", true, "standard")]
    [InlineData("given_name", FieldType.Text, "user.name.first", false, "standard")]
    [InlineData("family_name", FieldType.Text, "user.name.last", false, "standard")]
    [InlineData("phone", FieldType.Phone, "user.contact.phone_number", true, "standard")]
    [InlineData("postal_address", FieldType.Text, "user.contact.address", false, "standard")]
    [InlineData("birth_date", FieldType.Date, "user.demographic.date_of_birth", false, "standard")]
    [InlineData("preferred_language", FieldType.Language, "user.demographic.language", false, "standard")]
    [InlineData("interests", FieldType.TextList, "user.demographic.profile", false, "standard")]
    [InlineData("billing_name", FieldType.Text, "user.name", false, "legal-hold")]
    [InlineData("billing_address", FieldType.Text, "user.contact.address", false, "legal-hold")]
    [InlineData("tax_id", FieldType.Text, "user.government_id.national_identification_number", false, "legal-hold")]
    public void Load_ShippedCatalogue_HasField(string name, FieldType type, string category, bool searchable, string keyGroup)
    {
        var field = catalogue.Fields[name];

        Assert.Equal(type, field.Type);
        Assert.Equal(category, field.DataCategory);
        Assert.Equal(searchable, field.Searchable);
        Assert.Equal(keyGroup, field.KeyGroup);
    }

    [Fact]
    public void Load_ShippedCatalogue_HasFieldValidation()
    {
        Assert.Equal(254, catalogue.Fields["email"].Validation.MaxLength);
        Assert.Equal(100, catalogue.Fields["given_name"].Validation.MaxLength);
        Assert.Equal(100, catalogue.Fields["family_name"].Validation.MaxLength);
        Assert.Equal(500, catalogue.Fields["postal_address"].Validation.MaxLength);
        Assert.True(catalogue.Fields["postal_address"].Validation.Multiline);
        Assert.True(catalogue.Fields["billing_address"].Validation.Multiline);
        Assert.False(catalogue.Fields["given_name"].Validation.Multiline);
        Assert.Equal(new DateOnly(1900, 1, 1), catalogue.Fields["birth_date"].Validation.MinDate);
        Assert.True(catalogue.Fields["birth_date"].Validation.NotInFuture);
        Assert.Equal(["en", "es", "ca", "it", "et", "fr", "de", "pt"], catalogue.Fields["preferred_language"].Validation.AllowedValues);
        var interests = catalogue.Fields["interests"].Validation;
        Assert.Equal(10, interests.MaxItems);
        Assert.Equal(40, interests.MaxLength);
        Assert.Equal(
            ["sports", "travel", "technology", "books", "music", "cooking", "fashion", "gardening", "cinema", "fitness"],
            interests.AllowedValues);
        Assert.Equal(32, catalogue.Fields["tax_id"].Validation.MaxLength);
    }

    [Fact]
    public void Load_ShippedCatalogue_FieldsInTheOrderPeopleReadThem()
    {
        Assert.Equal(
            ["given_name", "family_name", "email", "phone", "postal_address", "birth_date", "preferred_language", "interests", "billing_name", "billing_address", "tax_id"],
            catalogue.FieldsInOrder.Select(field => field.Name));
    }

    [Fact]
    public void InDisplayOrder_AnyNames_InTheCatalogueOrder_UnknownNamesLastByName()
    {
        Assert.Equal(
            ["given_name", "email", "interests", "tax_id", "a_former_field", "z_former_field"],
            catalogue.InDisplayOrder(["z_former_field", "tax_id", "email", "a_former_field", "interests", "given_name"]));
    }

    [Theory]
    [InlineData("service-delivery", LawfulBasis.Contract, "P2Y", false, new[] { "email", "given_name", "family_name", "phone", "postal_address", "preferred_language" })]
    [InlineData("marketing-email", LawfulBasis.Consent, "P2Y", false, new[] { "email", "given_name", "preferred_language", "interests" })]
    [InlineData("analytics", LawfulBasis.Consent, "P1Y", false, new[] { "birth_date", "preferred_language", "interests" })]
    [InlineData("personalisation", LawfulBasis.Consent, "P1Y", false, new[] { "given_name", "preferred_language", "interests" })]
    [InlineData("legal-obligation-invoicing", LawfulBasis.LegalObligation, "P10Y", false, new[] { "billing_name", "billing_address", "tax_id", "email" })]
    [InlineData("partner-sharing", LawfulBasis.Consent, "P1Y", true, new[] { "email", "given_name", "family_name", "interests" })]
    public void Load_ShippedCatalogue_HasPurpose(string id, LawfulBasis basis, string retention, bool gpcObjection, string[] fields)
    {
        var purpose = catalogue.Purposes[id];

        Assert.Equal(basis, purpose.LawfulBasis);
        Assert.Equal(IsoPeriod.Parse(retention), purpose.Retention);
        Assert.Equal(gpcObjection, purpose.GpcObjection);
        Assert.Equal(fields.Order(StringComparer.Ordinal), purpose.Fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_ShippedCatalogue_EveryTextInAllFiveLanguages()
    {
        Assert.All(catalogue.Fields.Values, field =>
            Assert.Equal(AllLanguages.Order(StringComparer.Ordinal), field.Title.Keys.Order(StringComparer.Ordinal)));
        Assert.All(catalogue.Fields["interests"].ValueTitles!.Values, titles =>
            Assert.Equal(AllLanguages.Order(StringComparer.Ordinal), titles.Keys.Order(StringComparer.Ordinal)));
        Assert.All(catalogue.Purposes.Values, purpose =>
        {
            Assert.Equal(AllLanguages.Order(StringComparer.Ordinal), purpose.Text.Keys.Order(StringComparer.Ordinal));
            Assert.All(purpose.Text.Values, text => Assert.True(text.Description.Length > text.Title.Length));
        });
    }

    [Fact]
    public void Load_ShippedCatalogue_TranslationsAreNotCopiesOfEnglish()
    {
        Assert.All(catalogue.Purposes.Values, purpose =>
        {
            var descriptions = purpose.Text.Values.Select(text => text.Description).ToList();
            Assert.Equal(descriptions.Count, descriptions.Distinct(StringComparer.Ordinal).Count());
        });
    }

    [Fact]
    public void Load_ShippedCatalogue_OnlyEmailAndPhoneAreSearchable()
    {
        var searchable = catalogue.Fields.Values.Where(field => field.Searchable).Select(field => field.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["email", "phone"], searchable);
    }

    [Fact]
    public void Load_ShippedCatalogue_OnlySaleOrSharingMeansGpcObjection()
    {
        var gpc = catalogue.Purposes.Values.Where(purpose => purpose.GpcObjection).Select(purpose => purpose.Id);

        Assert.Equal(["partner-sharing"], gpc);
    }

    [Fact]
    public void Load_ShippedCatalogue_MarketingAndPartnerSharingAreDirectMarketing()
    {
        var marked = catalogue.Purposes.Values.Where(purpose => purpose.DirectMarketing).Select(purpose => purpose.Id).Order(StringComparer.Ordinal);

        Assert.Equal(["marketing-email", "partner-sharing"], marked);
    }

    [Fact]
    public void Load_ShippedCatalogue_VersionsAreDistinctHex()
    {
        var versions = catalogue.Purposes.Values.Select(purpose => purpose.Version).ToList();

        Assert.All(versions, version => Assert.Matches("^[0-9a-f]{16}$", version));
        Assert.Equal(versions.Count, versions.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Load_ShippedCatalogueTwice_SameVersions()
    {
        var again = PolicyCatalogueLoader.Load(TestPaths.Catalogue);

        Assert.All(catalogue.Purposes.Values, purpose => Assert.Equal(purpose.Version, again.Purposes[purpose.Id].Version));
    }
}
