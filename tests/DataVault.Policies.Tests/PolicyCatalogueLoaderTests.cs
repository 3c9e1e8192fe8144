using static DataVault.Policies.Tests.TemporaryCatalogue;

namespace DataVault.Policies.Tests;

public sealed class PolicyCatalogueLoaderTests
{
    private const string FieldsFile = "fields.yaml";
    private const string PurposesFile = "purposes.yaml";

    [Fact]
    public void Load_Baseline_Loads()
    {
        var catalogue = Load();

        Assert.Equal(6, catalogue.Fields.Count);
        Assert.Equal(3, catalogue.Purposes.Count);
        Assert.Equal(new IsoPeriod(10, 0, 0), catalogue.KeyGroups["legal-hold"].RetainAfterErasure);
        Assert.Null(catalogue.KeyGroups["standard"].RetainAfterErasure);
        var marketing = catalogue.Purposes["marketing-email"];
        Assert.Equal(LawfulBasis.Consent, marketing.LawfulBasis);
        Assert.Equal(["email", "given_name", "preferred_language"], marketing.Fields);
        Assert.Equal(new IsoPeriod(2, 0, 0), marketing.Retention);
        Assert.False(marketing.GpcObjection);
        Assert.Equal("With your consent, we send you offers by email.", marketing.Text["en"].Description);
        var phone = catalogue.Fields["phone"];
        Assert.Equal(FieldType.Phone, phone.Type);
        Assert.False(phone.Searchable);
        Assert.Equal("Phone number", phone.Title["en"]);
        Assert.Equal(254, catalogue.Fields["email"].Validation.MaxLength);
        Assert.Equal(["en", "es", "ca"], catalogue.Fields["preferred_language"].Validation.AllowedValues);
    }

    [Fact]
    public void Load_NullOrBlankDirectory_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => PolicyCatalogueLoader.Load(null!));
        Assert.ThrowsAny<ArgumentException>(() => PolicyCatalogueLoader.Load(" "));
    }

    [Fact]
    public void Load_FieldsFileMissing_NamesTheFile()
    {
        var error = LoadFails(fields: null);

        AssertProblem(error, FieldsFile, null, "file not found");
    }

    [Fact]
    public void Load_PurposesFileMissing_NamesTheFile()
    {
        var error = LoadFails(purposes: null);

        AssertProblem(error, PurposesFile, null, "file not found");
    }

    [Fact]
    public void Load_DirectoryMissing_ReportsBothFiles()
    {
        var directory = Path.Combine(Path.GetTempPath(), "datavault-policies-tests-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<PolicyCatalogueException>(() => PolicyCatalogueLoader.Load(directory));

        Assert.Equal(FieldsFile, error.FileName);
        Assert.Contains("purposes.yaml: file not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fields: [email", "YAML syntax error")]
    [InlineData("fields:\n  - name: a\n    name: b\n", "Duplicate key")]
    [InlineData("fields:\n\t- name: a\n", "YAML syntax error")]
    [InlineData("a: *missing\n", "YAML syntax error")]
    public void Load_YamlSyntaxError_NamesFileAndProblem(string fields, string problem)
    {
        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, null, problem);
        Assert.Contains("fields.yaml, line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_SaysItIsEmpty()
    {
        var error = LoadFails(purposes: "# nothing yet\n");

        AssertProblem(error, PurposesFile, null, "the file is empty");
    }

    [Fact]
    public void Load_TwoDocuments_IsRefused()
    {
        var error = LoadFails(purposes: Purposes + "---\npurposes: []\n");

        AssertProblem(error, PurposesFile, null, "more than one YAML document");
    }

    [Fact]
    public void Load_RootIsAList_IsRefused()
    {
        var error = LoadFails(fields: "- name: email\n");

        AssertProblem(error, FieldsFile, null, "must be a mapping of keys to values, not a list");
    }

    [Fact]
    public void Load_SectionIsNotAList_IsRefused()
    {
        var error = LoadFails(purposes: "purposes:\n  id: marketing-email\n");

        AssertProblem(error, PurposesFile, null, "'purposes' must be a list of entries, not a mapping");
    }

    [Fact]
    public void Load_SectionMissing_IsRefused()
    {
        var fields = Edit(Fields, "key_groups:", "key_grups:");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, null, "unknown key 'key_grups' (did you mean 'key_groups'?); allowed keys: key_groups, fields");
        Assert.Contains("missing required list 'key_groups'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFieldKey_NamesEntryKeyAndSuggestion()
    {
        var fields = Edit(Fields, "data_category: user.contact.phone_number", "data_category: user.contact.phone_number\n    serchable: true");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", "unknown key 'serchable' (did you mean 'searchable'?)");
        Assert.StartsWith("fields.yaml, line 38, fields[3] 'phone': unknown key 'serchable'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownValidationKey_NamesNestedKey()
    {
        var fields = Edit(Fields, "max_length: 100", "max_lenght: 100");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[1] 'given_name'", "unknown key 'validation.max_lenght' (did you mean 'max_length'?)");
        Assert.Contains("text fields need 'validation.max_length'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownPurposeKey_NamesEntry()
    {
        var purposes = Edit(Purposes, "gpc_objection: false", "gpc_objetion: false");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "unknown key 'gpc_objetion' (did you mean 'gpc_objection'?)");
    }

    [Fact]
    public void Load_UnknownKeyGroupKey_NamesEntry()
    {
        var fields = Edit(Fields, "retain_after_erasure: P10Y", "retain_after_erasure: P10Y\n    retention: P10Y");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "key_groups[1] 'legal-hold'", "unknown key 'retention'");
    }

    [Fact]
    public void Load_UnknownTextKey_NamesNestedKey()
    {
        var purposes = Edit(Purposes, "title: Marketing emails", "title: Marketing emails\n        subtitle: Offers");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "unknown key 'text.en.subtitle'");
    }

    [Theory]
    [InlineData("    type: phone\n", "", "missing required key 'type'")]
    [InlineData("    data_category: user.contact.phone_number\n", "", "missing required key 'data_category'")]
    [InlineData("    key_group: standard\n    title:\n      en: Phone number\n", "    title:\n      en: Phone number\n", "missing required key 'key_group'")]
    [InlineData("    title:\n      en: Phone number\n", "", "missing required key 'title'")]
    [InlineData("    type: phone\n", "    type:\n", "'type' must not be empty")]
    [InlineData("    type: phone\n", "    type: [phone]\n", "'type' must be a single value, not a list")]
    public void Load_FieldKeyMissingOrMalformed_NamesEntryAndKey(string find, string replace, string problem)
    {
        var fields = Edit(Fields, find, replace);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", problem);
    }

    [Fact]
    public void Load_FieldWithoutName_NamedByIndex()
    {
        var fields = Edit(Fields, "  - name: phone\n    type: phone\n", "  - type: phone\n");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3]", "missing required key 'name'");
    }

    [Theory]
    [InlineData("    lawful_basis: consent\n", "", "missing required key 'lawful_basis'")]
    [InlineData("    fields: [email, given_name, preferred_language]\n", "", "missing required key 'fields'")]
    [InlineData("    retention: P2Y\n    gpc_objection: false\n", "    gpc_objection: false\n", "missing required key 'retention'")]
    [InlineData("        description: Con tu consentimiento, te enviamos ofertas por correo.\n", "", "missing required key 'text.es.description'")]
    [InlineData("fields: [email, given_name, preferred_language]", "fields: []", "'fields' must not be an empty list")]
    [InlineData("fields: [email, given_name, preferred_language]", "fields: email", "'fields' must be a list, not a single value")]
    [InlineData("fields: [email, given_name, preferred_language]", "fields: [email, [given_name]]", "'fields[1]' must be a single non-empty value, not a list")]
    public void Load_PurposeKeyMissingOrMalformed_NamesEntryAndKey(string find, string replace, string problem)
    {
        var purposes = Edit(Purposes, find, replace);

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", problem);
    }

    [Fact]
    public void Load_KeyGroupDescriptionMissing_NamesEntry()
    {
        var fields = Edit(Fields, "    description: Invoicing records kept by law.\n", string.Empty);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "key_groups[1] 'legal-hold'", "missing required key 'description'");
    }

    [Fact]
    public void Load_DuplicateFieldName_PointsAtFirstDeclaration()
    {
        var fields = Edit(Fields, "  - name: given_name\n", "  - name: email\n");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[1] 'email'", "duplicate field 'email', already declared on line 9");
    }

    [Fact]
    public void Load_DuplicatePurposeId_IsRefused()
    {
        var purposes = Edit(Purposes, "  - id: invoicing\n", "  - id: service-delivery\n");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[2] 'service-delivery'", "duplicate purpose 'service-delivery'");
    }

    [Fact]
    public void Load_DuplicateKeyGroup_IsRefused()
    {
        var fields = Edit(Fields, "  - name: legal-hold\n", "  - name: standard\n");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "key_groups[1] 'standard'", "duplicate key group 'standard'");
    }

    [Theory]
    [InlineData("GivenName")]
    [InlineData("given-name")]
    [InlineData("1st_name")]
    [InlineData("given name")]
    public void Load_FieldNameNotSnakeCase_IsRefused(string name)
    {
        var fields = Edit(Fields, "  - name: given_name\n", $"  - name: {name}\n");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, $"fields[1] '{name}'", $"field '{name}' is not a valid name: use snake_case");
    }

    [Fact]
    public void Load_FieldNameTooLong_IsRefused()
    {
        var name = new string('a', 65);
        var fields = Edit(Fields, "  - name: given_name\n", $"  - name: {name}\n");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, $"fields[1] '{name}'", "is not a valid name");
    }

    [Theory]
    [InlineData("marketing_email")]
    [InlineData("Marketing-Email")]
    [InlineData("-marketing")]
    public void Load_PurposeIdNotKebabCase_IsRefused(string id)
    {
        var purposes = Edit(Purposes, "  - id: marketing-email\n", $"  - id: {id}\n");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, $"purposes[1] '{id}'", $"purpose '{id}' is not a valid name: use kebab-case");
    }

    [Fact]
    public void Load_KeyGroupNameInvalid_IsRefusedOnce()
    {
        var fields = Edit(Fields, "  - name: legal-hold\n", "  - name: Legal_Hold\n");
        fields = Edit(fields, "key_group: legal-hold", "key_group: Legal_Hold");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "key_groups[1] 'Legal_Hold'", "key group 'Legal_Hold' is not a valid name");
        Assert.Single(error.Problems);
    }

    [Fact]
    public void Load_UnknownFieldType_ListsKnownTypes()
    {
        var fields = Edit(Fields, "type: phone", "type: telephone");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", "unknown field type 'telephone'; known types: text, email, phone, date, language, text_list");
    }

    [Theory]
    [InlineData("consented", "unknown lawful basis 'consented' (did you mean 'consent'?)")]
    [InlineData("Consent", "unknown lawful basis 'Consent' (did you mean 'consent'?)")]
    [InlineData("legitimate-interest", "unknown lawful basis 'legitimate-interest' (did you mean 'legitimate-interests'?)")]
    [InlineData("marketing", "GDPR Art. 6(1) bases are: consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests")]
    public void Load_UnknownLawfulBasis_IsRefused(string basis, string problem)
    {
        var purposes = Edit(Purposes, "lawful_basis: consent", $"lawful_basis: {basis}");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", problem);
    }

    [Theory]
    [InlineData("consent", LawfulBasis.Consent)]
    [InlineData("contract", LawfulBasis.Contract)]
    [InlineData("legal-obligation", LawfulBasis.LegalObligation)]
    [InlineData("vital-interests", LawfulBasis.VitalInterests)]
    [InlineData("public-task", LawfulBasis.PublicTask)]
    [InlineData("legitimate-interests", LawfulBasis.LegitimateInterests)]
    public void Load_EveryLawfulBasis_IsAccepted(string basis, LawfulBasis expected)
    {
        var purposes = Edit(Purposes, "lawful_basis: consent", $"lawful_basis: {basis}");

        var catalogue = Load(purposes: purposes);

        Assert.Equal(expected, catalogue.Purposes["marketing-email"].LawfulBasis);
    }

    [Fact]
    public void Load_PurposeReferencesUnknownField_IsRefused()
    {
        var purposes = Edit(Purposes, "fields: [email, given_name, preferred_language]", "fields: [email, given_name, preferred_langage]");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "unknown field 'preferred_langage' (did you mean 'preferred_language'?)");
    }

    [Fact]
    public void Load_PurposeListsFieldTwice_IsRefused()
    {
        var purposes = Edit(Purposes, "fields: [email, given_name, preferred_language]", "fields: [email, given_name, email]");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "'fields' lists 'email' more than once");
    }

    [Fact]
    public void Load_FieldReferencesUnknownKeyGroup_IsRefused()
    {
        var fields = Edit(Fields, "key_group: legal-hold", "key_group: legal_hold");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[5] 'tax_id'", "unknown key group 'legal_hold' (did you mean 'legal-hold'?); declared key groups: standard, legal-hold");
    }

    [Theory]
    [InlineData("2 years")]
    [InlineData("P2")]
    [InlineData("PT2H")]
    [InlineData("P2W")]
    [InlineData("P-2Y")]
    public void Load_RetentionNotAnIsoPeriod_IsRefused(string retention)
    {
        var purposes = Edit(Purposes, "    retention: P2Y\n    gpc_objection", $"    retention: {retention}\n    gpc_objection");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", $"'retention' value '{retention}' is not an ISO 8601 date duration");
    }

    [Fact]
    public void Load_RetentionZero_IsRefused()
    {
        var purposes = Edit(Purposes, "    retention: P2Y\n    gpc_objection", "    retention: P0D\n    gpc_objection");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "'retention' must be longer than zero");
    }

    [Fact]
    public void Load_RetainAfterErasureInvalid_IsRefused()
    {
        var fields = Edit(Fields, "retain_after_erasure: P10Y", "retain_after_erasure: 10 years");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "key_groups[1] 'legal-hold'", "'retain_after_erasure' value '10 years' is not an ISO 8601 date duration");
    }

    [Fact]
    public void Load_FieldTitleWithoutEnglish_IsRefused()
    {
        var fields = Edit(Fields, "en: Phone number", "es: Teléfono");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", "'title' has no 'en' text");
    }

    [Fact]
    public void Load_PurposeTextWithoutEnglish_IsRefused()
    {
        var purposes = Edit(
            Purposes,
            "      en:\n        title: Marketing emails\n        description: >-\n          With your consent, we send you offers\n          by email.\n",
            string.Empty);

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "'text' has no 'en' text");
    }

    [Fact]
    public void Load_PurposeDescriptionBlank_IsRefused()
    {
        var purposes = Edit(Purposes, "description: Con tu consentimiento, te enviamos ofertas por correo.", "description: '  '");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "'text.es.description' must not be blank");
    }

    [Fact]
    public void Load_UnsupportedTitleLanguage_IsRefused()
    {
        var fields = Edit(Fields, "en: Phone number", "en: Phone number\n      fr: Téléphone");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", "unsupported language 'title.fr'; supported languages: en, es, ca, it, et");
    }

    [Fact]
    public void Load_UnsupportedTextLanguage_IsRefused()
    {
        var purposes = Edit(Purposes, "      es:\n        title: Correos de marketing", "      de:\n        title: Marketing-E-Mails");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", "unsupported language 'text.de'");
    }

    [Fact]
    public void Load_LanguageFieldWithoutAllowedValues_IsRefused()
    {
        var fields = Edit(Fields, "    validation:\n      allowed_values: [en, es, ca]\n", string.Empty);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[2] 'preferred_language'", "language fields need 'validation.allowed_values'");
    }

    [Fact]
    public void Load_LanguageFieldWithEmptyAllowedValues_IsRefused()
    {
        var fields = Edit(Fields, "allowed_values: [en, es, ca]", "allowed_values: []");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[2] 'preferred_language'", "'validation.allowed_values' must not be an empty list");
    }

    [Theory]
    [InlineData("allowed_values: [en, es, en]", "'validation.allowed_values' lists 'en' more than once")]
    [InlineData("allowed_values: [en, ' es']", "must not have surrounding spaces")]
    public void Load_AllowedValuesMalformed_IsRefused(string replace, string problem)
    {
        var fields = Edit(Fields, "allowed_values: [en, es, ca]", replace);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[2] 'preferred_language'", problem);
    }

    [Theory]
    [InlineData("max_length: 100", "min_length: 200\n      max_length: 100", "'validation.min_length' (200) is greater than 'validation.max_length' (100)")]
    [InlineData("max_length: 100", "max_length: 0", "'validation.max_length' must be a positive whole number")]
    [InlineData("max_length: 100", "max_length: -5", "'validation.max_length' must be a positive whole number")]
    [InlineData("max_length: 100", "max_length: 100\n      min_length: -1", "'validation.min_length' must not be negative")]
    [InlineData("max_length: 100", "max_length: ten", "'validation.max_length' must be a whole number")]
    [InlineData("max_length: 100", "max_length: '100'", "'validation.max_length' must be a whole number")]
    [InlineData("max_length: 100", "max_length: 100\n      multiline: yes", "'validation.multiline' must be true or false")]
    [InlineData("max_length: 100", "max_length: 100\n      max_items: 3", "'validation.max_items' does not apply to text fields")]
    public void Load_TextValidationInvalid_IsRefused(string find, string replace, string problem)
    {
        var fields = Edit(Fields, find, replace);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[1] 'given_name'", problem);
    }

    [Theory]
    [InlineData("max_items: 5", "max_items: 0", "'validation.max_items' must be a positive whole number")]
    [InlineData("max_items: 5", "max_items: 5\n      multiline: true", "'validation.multiline' does not apply to text_list fields")]
    [InlineData("      max_items: 5\n", "", "text_list fields need 'validation.max_items'")]
    [InlineData("max_items: 5", "max_items: 5\n      allowed_values: [sports, a-very-long-interest-name-that-exceeds-forty]", "is longer than 'validation.max_length' (40)")]
    public void Load_ListValidationInvalid_IsRefused(string find, string replace, string problem)
    {
        var fields = Edit(Fields, find, replace);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[4] 'interests'", problem);
    }

    /// <summary>The test catalogue's interests with two allowed values, each with a title.</summary>
    private static string FieldsWithValueTitles(string titles = "      sports: {en: Sports, es: Deportes}\n      travel: {en: Travel}\n") =>
        Edit(
            Edit(Fields, "max_items: 5", "max_items: 5\n      allowed_values: [sports, travel]"),
            "      en: Interests\n",
            "      en: Interests\n    value_titles:\n" + titles);

    [Fact]
    public void Load_ListWithValueTitles_KeepsEachAllowedValuesTitlePerLanguage()
    {
        var catalogue = Load(fields: FieldsWithValueTitles());

        var titles = catalogue.Fields["interests"].ValueTitles!;
        Assert.Equal("Deportes", titles["sports"]["es"]);
        Assert.Equal("Travel", titles["travel"]["en"]);
        Assert.Null(catalogue.Fields["phone"].ValueTitles);
    }

    [Theory]
    [InlineData("      sports: {en: Sports}\n", "'value_titles' has no title for the allowed value 'travel'")]
    [InlineData("      sports: {en: Sports}\n      travel: {en: Travel}\n      golf: {en: Golf}\n", "unknown key 'value_titles.golf'")]
    [InlineData("      sports: {es: Deportes}\n      travel: {en: Travel}\n", "'value_titles.sports' has no 'en' text")]
    [InlineData("      sports: {en: Sports, fr: Sport}\n      travel: {en: Travel}\n", "unsupported language 'value_titles.sports.fr'")]
    [InlineData("      sports: {en: ''}\n      travel: {en: Travel}\n", "'value_titles.sports.en' must not be blank")]
    public void Load_ValueTitlesIncompleteOrWrong_IsRefused(string titles, string problem)
    {
        var error = LoadFails(fields: FieldsWithValueTitles(titles));

        AssertProblem(error, FieldsFile, "fields[4] 'interests'", problem);
    }

    [Fact]
    public void Load_AllowedValuesWithoutValueTitles_IsRefused()
    {
        var error = LoadFails(fields: Edit(Fields, "max_items: 5", "max_items: 5\n      allowed_values: [sports, travel]"));

        AssertProblem(error, FieldsFile, "fields[4] 'interests'", "text_list fields with 'validation.allowed_values' need 'value_titles'");
    }

    [Fact]
    public void Load_ValueTitlesOnAFieldWithoutAllowedValues_IsRefused()
    {
        var error = LoadFails(fields: Edit(Fields, "      en: Phone number\n", "      en: Phone number\n    value_titles:\n      x: {en: X}\n"));

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", "'value_titles' applies only to text_list fields with 'validation.allowed_values'");
    }

    [Theory]
    [InlineData("max_length: 254", "max_length: 300", "cannot exceed 254, the RFC 5321 limit")]
    [InlineData("max_length: 254", "max_length: 254\n      multiline: true", "'validation.multiline' does not apply to email fields")]
    [InlineData("searchable: true", "searchable: maybe", "'searchable' must be true or false")]
    [InlineData("data_category: user.contact.email", "data_category: User Contact Email", "data category 'User Contact Email' is not a dotted lowercase category")]
    [InlineData("data_category: user.contact.email", "data_category: email", "data category 'email' is not a dotted lowercase category")]
    public void Load_EmailFieldInvalid_IsRefused(string find, string replace, string problem)
    {
        var fields = Edit(Fields, find, replace);

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[0] 'email'", problem);
    }

    [Fact]
    public void Load_SearchableTextField_IsRefused()
    {
        var fields = Edit(Fields, "data_category: user.name.first", "data_category: user.name.first\n    searchable: true");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[1] 'given_name'", "'searchable' is only supported for email and phone fields");
    }

    [Theory]
    [InlineData("type: date\n    data_category: user.demographic.date_of_birth", "validation:\n      min_date: 1900-13-01", "'validation.min_date' must be a date in the form yyyy-MM-dd")]
    [InlineData("type: date\n    data_category: user.demographic.date_of_birth", "validation:\n      multiline: true", "'validation.multiline' does not apply to date fields")]
    [InlineData("type: phone\n    data_category: user.contact.phone_number", "validation:\n      max_length: 20", "'validation.max_length' does not apply to phone fields")]
    public void Load_PhoneOrDateValidationInvalid_IsRefused(string type, string validation, string problem)
    {
        var fields = Edit(Fields, "type: phone\n    data_category: user.contact.phone_number", type);
        fields = Edit(fields, "    title:\n      en: Phone number", $"    {validation}\n    title:\n      en: Phone number");

        var error = LoadFails(fields: fields);

        AssertProblem(error, FieldsFile, "fields[3] 'phone'", problem);
    }

    [Theory]
    [InlineData("contract")]
    [InlineData("legal-obligation")]
    [InlineData("vital-interests")]
    public void Load_GpcObjectionOnBasisThatAllowsNoObjection_IsRefused(string basis)
    {
        var purposes = Edit(Purposes, "lawful_basis: consent", $"lawful_basis: {basis}");
        purposes = Edit(purposes, "gpc_objection: false", "gpc_objection: true");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", $"'gpc_objection' cannot be true for lawful basis '{basis}'");
    }

    [Theory]
    [InlineData("contract")]
    [InlineData("legal-obligation")]
    [InlineData("vital-interests")]
    public void Load_DirectMarketingOnBasisAnObjectionCannotStop_IsRefused(string basis)
    {
        var purposes = Edit(Purposes, "lawful_basis: consent", $"lawful_basis: {basis}");
        purposes = Edit(purposes, "gpc_objection: false", "gpc_objection: false\n    direct_marketing: true");

        var error = LoadFails(purposes: purposes);

        AssertProblem(error, PurposesFile, "purposes[1] 'marketing-email'", $"'direct_marketing' cannot be true for lawful basis '{basis}'");
    }

    [Theory]
    [InlineData("consent", true)]
    [InlineData("legitimate-interests", true)]
    [InlineData("consent", false)]
    public void Load_DirectMarketing_IsReadWithFalseByDefault(string basis, bool marked)
    {
        var purposes = Edit(Purposes, "lawful_basis: consent", $"lawful_basis: {basis}");
        if (marked)
        {
            purposes = Edit(purposes, "gpc_objection: false", "gpc_objection: false\n    direct_marketing: true");
        }

        Assert.Equal(marked, Load(purposes: purposes).Purposes["marketing-email"].DirectMarketing);
    }

    [Fact]
    public void Load_DirectMarketingNotABoolean_IsRefused()
    {
        var purposes = Edit(Purposes, "gpc_objection: false", "gpc_objection: false\n    direct_marketing: sometimes");

        var error = LoadFails(purposes: purposes);

        Assert.Contains("direct_marketing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralProblems_ReportsAllOnePerLine()
    {
        var fields = Edit(Fields, "type: phone", "type: telephone");
        fields = Edit(fields, "max_length: 100", "max_length: 0");
        var purposes = Edit(Purposes, "lawful_basis: consent", "lawful_basis: consentt");
        purposes = Edit(purposes, "fields: [tax_id]", "fields: [vat_number]");

        var error = LoadFails(fields, purposes);

        var lines = error.Message.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("fields.yaml, line 23, fields[1] 'given_name': 'validation.max_length' must be a positive", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("fields.yaml, line 36, fields[3] 'phone': unknown field type 'telephone'", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("purposes.yaml, line 11, purposes[1] 'marketing-email': unknown lawful basis 'consentt'", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("purposes.yaml, line 26, purposes[2] 'invoicing': unknown field 'vat_number'", lines[3], StringComparison.Ordinal);
        Assert.Equal(FieldsFile, error.FileName);
        Assert.Equal("fields[1] 'given_name'", error.Entry);
    }

    [Fact]
    public void Load_FieldsFileBroken_DoesNotCascadeIntoPurposes()
    {
        var error = LoadFails(fields: "fields: [email");

        Assert.Single(error.Problems);
        Assert.Equal(FieldsFile, error.FileName);
    }

    [Fact]
    public void Load_BrokenFieldStillDeclaresItsName_SoPurposesDoNotReportItAsUnknown()
    {
        var fields = Edit(Fields, "type: phone", "type: telephone");

        var error = LoadFails(fields: fields);

        Assert.Single(error.Problems);
    }

    [Fact]
    public void Load_TitlesAndDescriptions_AreTrimmedAndNfcNormalized()
    {
        var fields = Edit(Fields, "en: Phone number", "en: \"  Te\\u0301le\\u0301phone \"");

        var catalogue = Load(fields: fields);

        Assert.Equal("T\u00e9l\u00e9phone", catalogue.Fields["phone"].Title["en"]);
    }

    /// <summary>The message names the file, the entry and the problem; the properties locate the first problem.</summary>
    private static void AssertProblem(PolicyCatalogueException error, string fileName, string? entry, string problem)
    {
        Assert.Equal(fileName, error.FileName);
        Assert.Equal(entry, error.Entry);
        var first = error.Message.Split('\n')[0];
        Assert.StartsWith(fileName, first, StringComparison.Ordinal);
        if (entry is not null)
        {
            Assert.Contains($", {entry}: ", first, StringComparison.Ordinal);
        }

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
