using System.Text.Json;
using DataVault.Testing;

namespace DataVault.Policies.Tests;

public sealed class FieldValuesTests
{
    private static readonly DateOnly Today = new(2025, 6, 15);

    private static readonly FieldDefinition Name = Field(FieldType.Text, new FieldValidation { MaxLength = 10 });
    private static readonly FieldDefinition Address = Field(FieldType.Text, new FieldValidation { MaxLength = 50, Multiline = true });
    private static readonly FieldDefinition Code = Field(FieldType.Text, new FieldValidation { MinLength = 3, MaxLength = 5 });
    private static readonly FieldDefinition Email = Field(FieldType.Email, new FieldValidation { MaxLength = 254 });
    private static readonly FieldDefinition Phone = Field(FieldType.Phone, new FieldValidation());
    private static readonly FieldDefinition BirthDate = Field(FieldType.Date, new FieldValidation { MinDate = new DateOnly(1900, 1, 1), NotInFuture = true });
    private static readonly FieldDefinition AnyDate = Field(FieldType.Date, new FieldValidation());
    private static readonly FieldDefinition Language = Field(FieldType.Language, new FieldValidation { AllowedValues = ["en", "es", "ca"] });
    private static readonly FieldDefinition Interests = Field(
        FieldType.TextList, new FieldValidation { MaxItems = 3, MaxLength = 10, AllowedValues = ["books", "music", "sports", "travel", "cafés"] });
    private static readonly FieldDefinition Tags = Field(FieldType.TextList, new FieldValidation { MaxItems = 3, MaxLength = 5 });

    [Theory]
    [InlineData("\"Ana\"", "\"Ana\"")]
    [InlineData("\"  Ana  \"", "\"Ana\"")]
    [InlineData("\"\\u00a0Ana\\u3000\"", "\"Ana\"")]
    [InlineData("\"Jose\\u0301\"", "\"José\"")]
    [InlineData("\"Jos\\u00e9\"", "\"José\"")]
    [InlineData("\"O'B & <b>+\"", "\"O'B & <b>+\"")]
    [InlineData("\"Mañé 😀\"", "\"Mañé \\uD83D\\uDE00\"")]
    [InlineData("\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"")]
    public void Validate_Text_TrimsAndNormalizesToNfc(string json, string canonical)
    {
        AssertValid(Name, json, canonical);
    }

    [Fact]
    public void Validate_TextAtMaxLengthAfterNfc_IsValid()
    {
        // Ten characters once composed, fifteen UTF-16 code units as submitted: the limit applies to what is stored.
        AssertValid(Name, "\"e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301abcde\"", "\"ééééé" + "abcde\"");
    }

    [Theory]
    [InlineData("\"Abcdefghijk\"", "must be at most 10 characters")]
    [InlineData("\"😀😀😀😀😀😀\"", "must be at most 10 characters")]
    [InlineData("\"\"", "must not be empty or only whitespace")]
    [InlineData("\"   \"", "must not be empty or only whitespace")]
    [InlineData("\"\\t\"", "contains a control character")]
    [InlineData("\"A\\u0000b\"", "contains a control character")]
    [InlineData("\"A\\u001bb\"", "contains a control character")]
    [InlineData("\"A\\u007fb\"", "contains a control character")]
    [InlineData("\"A\\u0085b\"", "contains a control character")]
    [InlineData("\"A\\u009fb\"", "contains a control character")]
    [InlineData("\"A\\rb\"", "contains a control character")]
    [InlineData("\"A\\nb\"", "must be a single line")]
    [InlineData("\"A\\u202eb\"", "contains a Unicode bidirectional control character")]
    [InlineData("\"A\\u202ab\"", "contains a Unicode bidirectional control character")]
    [InlineData("\"A\\u2066b\"", "contains a Unicode bidirectional control character")]
    [InlineData("\"A\\u2069b\"", "contains a Unicode bidirectional control character")]
    [InlineData("\"A\\ud800b\"", "contains an unpaired surrogate")]
    [InlineData("\"A\\udc00b\"", "contains an unpaired surrogate")]
    [InlineData("\"A\\ud800\"", "contains an unpaired surrogate")]
    [InlineData("null", "must be a JSON string, not null")]
    [InlineData("42", "must be a JSON string, not a number")]
    [InlineData("true", "must be a JSON string, not a boolean")]
    [InlineData("{\"a\":\"b\"}", "must be a JSON string, not an object")]
    [InlineData("[\"Ana\"]", "must be a JSON string, not an array")]
    public void Validate_TextInvalid_IsRejected(string json, string error)
    {
        AssertInvalid(Name, json, error);
    }

    [Fact]
    public void Validate_UndefinedElement_IsRejected()
    {
        var result = FieldValues.Validate(Name, default, Today);

        Assert.False(result.IsValid);
        Assert.Equal("must be a JSON string, not missing", result.Error);
    }

    [Theory]
    [InlineData("\"ab\"", "must be at least 3 characters")]
    [InlineData("\"abcdef\"", "must be at most 5 characters")]
    public void Validate_TextOutsideLengthLimits_IsRejected(string json, string error)
    {
        AssertInvalid(Code, json, error);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"abcde\"")]
    public void Validate_TextAtLengthLimits_IsValid(string json)
    {
        AssertValid(Code, json, json);
    }

    [Theory]
    [InlineData("\"Carrer Major 1\\n08001 Barcelona\"", "\"Carrer Major 1\\n08001 Barcelona\"")]
    [InlineData("\"Carrer Major 1\\r\\n08001 Barcelona\\r\\n\"", "\"Carrer Major 1\\n08001 Barcelona\"")]
    [InlineData("\"\\n Carrer Major 1 \\n\"", "\"Carrer Major 1\"")]
    public void Validate_MultilineText_KeepsLineFeedsOnly(string json, string canonical)
    {
        AssertValid(Address, json, canonical);
    }

    [Theory]
    [InlineData("\"Carrer Major 1\\r08001\"", "contains a control character")]
    [InlineData("\"Carrer\\tMajor\"", "contains a control character")]
    [InlineData("\"Carrer\\u2067Major\"", "contains a Unicode bidirectional control character")]
    public void Validate_MultilineTextOtherControls_AreRejected(string json, string error)
    {
        AssertInvalid(Address, json, error);
    }

    [Theory]
    [InlineData("\"ana@example.com\"", "\"ana@example.com\"")]
    [InlineData("\"  Ana.Garcia+news@Example.COM \"", "\"Ana.Garcia+news@Example.COM\"")]
    [InlineData("\"jose\\u0301@exemple.cat\"", "\"josé@exemple.cat\"")]
    [InlineData("\"a@b.co\"", "\"a@b.co\"")]
    public void Validate_Email_KeepsCaseTrimsAndNormalizes(string json, string canonical)
    {
        AssertValid(Email, json, canonical);
    }

    [Theory]
    [InlineData("\"ana.example.com\"", "must contain exactly one '@'")]
    [InlineData("\"ana@mail@example.com\"", "must contain exactly one '@'")]
    [InlineData("\"@example.com\"", "must have a name before the '@'")]
    [InlineData("\"ana@\"", "must have a domain with a dot after the '@'")]
    [InlineData("\"ana@localhost\"", "must have a domain with a dot after the '@'")]
    [InlineData("\"ana@example.\"", "must have a domain with a dot after the '@'")]
    [InlineData("\"ana@.example.com\"", "must have a domain with a dot after the '@'")]
    [InlineData("\"ana@example..com\"", "must have a domain with a dot after the '@'")]
    [InlineData("\"ana garcia@example.com\"", "must not contain spaces")]
    [InlineData("\"ana@exam\\u00a0ple.com\"", "must not contain spaces")]
    [InlineData("\"ana@example.com\\n\"", "must be a single line")]
    [InlineData("\"\"", "must not be empty or only whitespace")]
    [InlineData("7", "must be a JSON string, not a number")]
    public void Validate_EmailInvalid_IsRejected(string json, string error)
    {
        AssertInvalid(Email, json, error);
    }

    [Fact]
    public void Validate_EmailLocalPartLimit_Is64()
    {
        AssertValid(Email, $"\"{new string('a', 64)}@example.com\"", $"\"{new string('a', 64)}@example.com\"");
        AssertInvalid(Email, $"\"{new string('a', 65)}@example.com\"", "must have at most 64 characters before the '@'");
    }

    [Fact]
    public void Validate_EmailTotalLimit_Is254EvenWhenFieldAllowsMore()
    {
        var roomy = Field(FieldType.Email, new FieldValidation { MaxLength = 1000 });
        var domain = string.Join('.', new string('d', 63), new string('e', 63), new string('f', 63), new string('g', 56)) + ".com";
        var at254 = "a@" + domain;
        Assert.Equal(254, at254.Length);

        AssertValid(roomy, $"\"{at254}\"", $"\"{at254}\"");
        AssertInvalid(roomy, $"\"b{at254}\"", "must be at most 254 characters");
        AssertInvalid(Field(FieldType.Email, new FieldValidation { MaxLength = 20 }), "\"ana.garcia@example.com\"", "must be at most 20 characters");
    }

    [Theory]
    [InlineData("\"+34600111222\"", "\"+34600111222\"")]
    [InlineData("\"+34 600 11 12 22\"", "\"+34600111222\"")]
    [InlineData("\" +34 (600) 111-222 \"", "\"+34600111222\"")]
    [InlineData("\"+39.06.1234.5678\"", "\"+390612345678\"")]
    [InlineData("\"+372 5123 4567\"", "\"+37251234567\"")]
    [InlineData("\"+1 (555) 010-0199\"", "\"+15550100199\"")]
    [InlineData("\"+12345678\"", "\"+12345678\"")]
    [InlineData("\"+123456789012345\"", "\"+123456789012345\"")]
    public void Validate_Phone_StoresE164(string json, string canonical)
    {
        AssertValid(Phone, json, canonical);
    }

    [Theory]
    [InlineData("\"600111222\"")]
    [InlineData("\"0034600111222\"")]
    [InlineData("\"+0600111222\"")]
    [InlineData("\"+1234567\"")]
    [InlineData("\"+1234567890123456\"")]
    [InlineData("\"+34 600 111 222 ext 5\"")]
    [InlineData("\"+34/600111222\"")]
    [InlineData("\"+34_600111222\"")]
    [InlineData("\"+３４600111222\"")]
    [InlineData("\"+٣٤600111222\"")]
    [InlineData("\"++34600111222\"")]
    public void Validate_PhoneNotE164_IsRejected(string json)
    {
        AssertInvalid(Phone, json, "must be an international number");
    }

    [Theory]
    [InlineData("\"+34\\t600111222\"", "contains a control character")]
    [InlineData("34600111222", "must be a JSON string, not a number")]
    [InlineData("\" \"", "must not be empty or only whitespace")]
    public void Validate_PhoneMalformed_IsRejected(string json, string error)
    {
        AssertInvalid(Phone, json, error);
    }

    [Theory]
    [InlineData("\"1985-07-23\"")]
    [InlineData("\"1900-01-01\"")]
    [InlineData("\"2025-06-15\"")]
    [InlineData("\"2024-02-29\"")]
    public void Validate_BirthDate_IsValid(string json)
    {
        AssertValid(BirthDate, json, json);
    }

    [Theory]
    [InlineData("\"1985-7-23\"", "must be a date in the form yyyy-MM-dd")]
    [InlineData("\"23/07/1985\"", "must be a date in the form yyyy-MM-dd")]
    [InlineData("\"1985-07-23T00:00:00\"", "must be a date in the form yyyy-MM-dd")]
    [InlineData("\"19850723\"", "must be a date in the form yyyy-MM-dd")]
    [InlineData("\"+1985-07-23\"", "must be a date in the form yyyy-MM-dd")]
    [InlineData("\"１９８５-07-23\"", "must be a date in the form yyyy-MM-dd")]
    [InlineData("\"1985-02-29\"", "must be a real calendar date")]
    [InlineData("\"1985-13-01\"", "must be a real calendar date")]
    [InlineData("\"1985-04-31\"", "must be a real calendar date")]
    [InlineData("\"0000-01-01\"", "must be a real calendar date")]
    [InlineData("\"1899-12-31\"", "must not be before 1900-01-01")]
    [InlineData("\"2025-06-16\"", "must not be in the future")]
    [InlineData("\"2999-01-01\"", "must not be in the future")]
    [InlineData("19850723", "must be a JSON string, not a number")]
    public void Validate_BirthDateInvalid_IsRejected(string json, string error)
    {
        AssertInvalid(BirthDate, json, error);
    }

    [Fact]
    public void Validate_DateWithoutLimits_AcceptsFutureAndOldDates()
    {
        AssertValid(AnyDate, "\"2999-01-01\"", "\"2999-01-01\"");
        AssertValid(AnyDate, "\"0001-01-01\"", "\"0001-01-01\"");
    }

    [Theory]
    [InlineData("\"es\"", "\"es\"")]
    [InlineData("\" ca \"", "\"ca\"")]
    public void Validate_Language_IsValid(string json, string canonical)
    {
        AssertValid(Language, json, canonical);
    }

    [Theory]
    [InlineData("\"ES\"")]
    [InlineData("\"es-ES\"")]
    [InlineData("\"fr\"")]
    [InlineData("\"spanish\"")]
    public void Validate_LanguageNotAllowed_IsRejected(string json)
    {
        AssertInvalid(Language, json, "must be one of: en, es, ca");
    }

    [Fact]
    public void Validate_LanguageFieldWithoutAllowedValues_RejectsEverything()
    {
        AssertInvalid(Field(FieldType.Language, new FieldValidation()), "\"en\"", "the field has no allowed values");
    }

    [Theory]
    [InlineData("[\"travel\", \"books\", \"music\"]", "[\"books\",\"music\",\"travel\"]")]
    [InlineData("[\" sports \"]", "[\"sports\"]")]
    [InlineData("[\"cafe\\u0301s\", \"books\"]", "[\"books\",\"cafés\"]")]
    public void Validate_TextList_TrimsNormalizesAndSortsOrdinally(string json, string canonical)
    {
        AssertValid(Interests, json, canonical);
    }

    [Fact]
    public void Validate_TextListWithoutAllowedValues_SortsOrdinally()
    {
        AssertValid(Tags, "[\"b\", \"a\", \"B\"]", "[\"B\",\"a\",\"b\"]");
    }

    [Theory]
    [InlineData("\"books\"", "must be a JSON array of strings, not a string")]
    [InlineData("null", "must be a JSON array of strings, not null")]
    [InlineData("{}", "must be a JSON array of strings, not an object")]
    [InlineData("[]", "must contain at least one item")]
    [InlineData("[\"books\", \"music\", \"sports\", \"travel\"]", "must have at most 3 items")]
    [InlineData("[\"books\", \"books\"]", "item at index 1 repeats an earlier item")]
    [InlineData("[\"books\", \" books \"]", "item at index 1 repeats an earlier item")]
    [InlineData("[\"cafés\", \"cafe\\u0301s\"]", "item at index 1 repeats an earlier item")]
    [InlineData("[\"books\", \"Books\"]", "item at index 1 must be one of: books, music, sports, travel, cafés")]
    [InlineData("[\"gardening\"]", "item at index 0 must be one of")]
    [InlineData("[\"books\", 3]", "item at index 1 must be a JSON string, not a number")]
    [InlineData("[\"books\", null]", "item at index 1 must be a JSON string, not null")]
    [InlineData("[[\"books\"]]", "item at index 0 must be a JSON string, not an array")]
    [InlineData("[\"books\", \"\"]", "item at index 1 must not be empty or only whitespace")]
    [InlineData("[\"books\", \"  \"]", "item at index 1 must not be empty or only whitespace")]
    [InlineData("[\"bo\\nok\"]", "item at index 0 must be a single line")]
    [InlineData("[\"bo\\u0007ok\"]", "item at index 0 contains a control character")]
    [InlineData("[\"bo\\u202eok\"]", "item at index 0 contains a Unicode bidirectional control character")]
    [InlineData("[\"bo\\ud800ok\"]", "item at index 0 contains an unpaired surrogate")]
    public void Validate_TextListInvalid_IsRejected(string json, string error)
    {
        AssertInvalid(Interests, json, error);
    }

    [Fact]
    public void Validate_TextListItemTooLong_IsRejected()
    {
        AssertInvalid(Tags, "[\"ab\", \"abcdef\"]", "item at index 1 must be at most 5 characters");
    }

    [Fact]
    public void Validate_ShippedCatalogueFields_AcceptRealisticValues()
    {
        var catalogue = PolicyCatalogueLoader.Load(TestPaths.Catalogue);

        AssertValid(catalogue.Fields["email"], "\"marta.puig@exemple.cat\"", "\"marta.puig@exemple.cat\"");
        AssertValid(catalogue.Fields["phone"], "\"+372 5123 4567\"", "\"+37251234567\"");
        AssertValid(catalogue.Fields["birth_date"], "\"1990-05-17\"", "\"1990-05-17\"");
        AssertValid(catalogue.Fields["preferred_language"], "\"et\"", "\"et\"");
        AssertValid(catalogue.Fields["interests"], "[\"travel\", \"cinema\"]", "[\"cinema\",\"travel\"]");
        AssertValid(catalogue.Fields["postal_address"], "\"Via Roma 10\\n00184 Roma\"", "\"Via Roma 10\\n00184 Roma\"");
        AssertInvalid(catalogue.Fields["given_name"], "\"Ana\\nMaria\"", "must be a single line");
        AssertInvalid(catalogue.Fields["tax_id"], $"\"{new string('9', 33)}\"", "must be at most 32 characters");
        AssertInvalid(catalogue.Fields["interests"], "[\"knitting\"]", "must be one of");
    }

    public static TheoryData<string, string, string> RejectedSecrets => new()
    {
        { "name", "\"Zebulon-Quixote-Marchetti-Vasquez\"", "Zebulon" },
        { "name", "\"Zebulon\\u0007\"", "Zebulon" },
        { "name", "\"Zebulon\\u202e\"", "Zebulon" },
        { "name", "\"Zebulon\\ud800\"", "Zebulon" },
        { "name", "\"Zebulon\\nX\"", "Zebulon" },
        { "code", "\"Zb\"", "Zb" },
        { "email", "\"zebulon.secret@localhost\"", "zebulon" },
        { "email", "\"zebulon secret@example.com\"", "zebulon" },
        { "email", "\"zebulon@@example.com\"", "zebulon" },
        { "email", $"\"{new string('z', 65)}@example.com\"", "zzzzzzzz" },
        { "phone", "\"+34 600 987 654 321 999\"", "987" },
        { "phone", "\"600987654\"", "600987654" },
        { "date", "\"1987-02-29\"", "1987" },
        { "date", "\"23.07.1987\"", "1987" },
        { "date", "\"1887-07-23\"", "1887" },
        { "date", "\"2987-07-23\"", "2987" },
        { "language", "\"zebulonese\"", "zebulon" },
        { "interests", "[\"zebulon-club\"]", "zebulon" },
        { "interests", "[\"books\", \"zebulon\", \"music\", \"sports\"]", "zebulon" },
        { "interests", "[\"zebulon\", 4]", "zebulon" },
    };

    [Theory]
    [MemberData(nameof(RejectedSecrets))]
    public void Validate_Rejected_ErrorNeverContainsSubmittedValue(string field, string json, string secret)
    {
        var definition = field switch
        {
            "name" => Name,
            "code" => Code,
            "email" => Email,
            "phone" => Phone,
            "date" => BirthDate,
            "language" => Language,
            _ => Interests,
        };

        var result = Validate(definition, json);

        Assert.False(result.IsValid);
        Assert.NotNull(result.Error);
        Assert.DoesNotContain(secret, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.CanonicalJson);
    }

    [Theory]
    [InlineData("ana@example.com", "ana@example.com")]
    [InlineData("  Ana.Garcia@Example.COM ", "ana.garcia@example.com")]
    [InlineData("JOSE\u0301@EXEMPLE.CAT", "josé@exemple.cat")]
    [InlineData("ÁLVARO@CORREO.ES", "álvaro@correo.es")]
    public void NormalizeForLookup_Email_TrimsNfcAndLowerCasesInvariant(string raw, string expected)
    {
        Assert.Equal(expected, FieldValues.NormalizeForLookup(Email, raw));
    }

    [Theory]
    [InlineData("+34 600 11 12 22", "+34600111222")]
    [InlineData("+34600111222", "+34600111222")]
    [InlineData(" +34 (600) 111-222 ", "+34600111222")]
    [InlineData("+39.06.1234.5678", "+390612345678")]
    public void NormalizeForLookup_Phone_GivesE164(string raw, string expected)
    {
        Assert.Equal(expected, FieldValues.NormalizeForLookup(Phone, raw));
    }

    [Fact]
    public void NormalizeForLookup_SameNumberTypedDifferently_SameResult()
    {
        Assert.Equal(
            FieldValues.NormalizeForLookup(Phone, "+34 600-111-222"),
            FieldValues.NormalizeForLookup(Phone, "+34(600)111222"));
        Assert.Equal(
            FieldValues.NormalizeForLookup(Email, "ANA@EXAMPLE.COM"),
            FieldValues.NormalizeForLookup(Email, " ana@example.com"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ana")]
    [InlineData("ana@localhost")]
    [InlineData("ana @example.com")]
    [InlineData("ana@example.com\u0000")]
    [InlineData("ana@exam\u202eple.com")]
    public void NormalizeForLookup_InvalidEmail_ReturnsNull(string raw)
    {
        Assert.Null(FieldValues.NormalizeForLookup(Email, raw));
    }

    [Fact]
    public void NormalizeForLookup_UnpairedSurrogate_ReturnsNull()
    {
        // Not theory data: the runner's serialization of theory arguments would replace the lone surrogate.
        Assert.Null(FieldValues.NormalizeForLookup(Email, "ana\ud800@example.com"));
        Assert.Null(FieldValues.NormalizeForLookup(Email, "ana@example.com\udc00"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("600111222")]
    [InlineData("+34 600 111 222 x1")]
    [InlineData("+0600111222")]
    [InlineData("+34\n600111222")]
    public void NormalizeForLookup_InvalidPhone_ReturnsNull(string raw)
    {
        Assert.Null(FieldValues.NormalizeForLookup(Phone, raw));
    }

    [Fact]
    public void NormalizeForLookup_OtherFieldTypes_ReturnNull()
    {
        Assert.Null(FieldValues.NormalizeForLookup(Name, "Ana"));
        Assert.Null(FieldValues.NormalizeForLookup(BirthDate, "1985-07-23"));
        Assert.Null(FieldValues.NormalizeForLookup(Language, "en"));
        Assert.Null(FieldValues.NormalizeForLookup(Interests, "books"));
    }

    [Fact]
    public void FieldValueResult_Helpers_SetTheRightMembers()
    {
        Assert.Equal(new FieldValueResult(true, "\"x\"", null), FieldValueResult.Valid("\"x\""));
        Assert.Equal(new FieldValueResult(false, null, "bad"), FieldValueResult.Invalid("bad"));
    }

    private static FieldDefinition Field(FieldType type, FieldValidation validation) =>
        new("test_field", type, "user.test", Searchable: false, "standard", validation, new Dictionary<string, string> { ["en"] = "Test" });

    private static FieldValueResult Validate(FieldDefinition field, string json)
    {
        using var document = JsonDocument.Parse(json);
        return FieldValues.Validate(field, document.RootElement, Today);
    }

    private static void AssertValid(FieldDefinition field, string json, string canonical)
    {
        var result = Validate(field, json);

        Assert.True(result.IsValid, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(canonical, result.CanonicalJson);
    }

    private static void AssertInvalid(FieldDefinition field, string json, string error)
    {
        var result = Validate(field, json);

        Assert.False(result.IsValid);
        Assert.Null(result.CanonicalJson);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("form-7", "form-7")]
    [InlineData("  signup form v3  ", "signup form v3")]
    [InlineData("Jose\u0301", "Jos\u00e9")]
    public void ValidateFreeText_PlainLine_IsTrimmedAndNormalized(string raw, string stored)
    {
        Assert.Null(FieldValues.ValidateFreeText(raw, 20, out var text));
        Assert.Equal(stored, text);
    }

    [Theory]
    [InlineData("form\u202Eid", "bidirectional")]
    [InlineData("form\u202Aid", "bidirectional")]
    [InlineData("form\u2066id\u2069", "bidirectional")]
    [InlineData("form\u0000id", "control")]
    [InlineData("form\u0085id", "control")]
    [InlineData("form\nid", "single line")]
    [InlineData("   ", "empty")]
    [InlineData("a much too long reason", "at most 20")]
    public void ValidateFreeText_WhatAFieldValueMayNotHold_IsRefusedWithoutQuotingIt(string raw, string problem)
    {
        var error = FieldValues.ValidateFreeText(raw, 20, out var text);

        Assert.Null(text);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain("form", error, StringComparison.Ordinal);
    }
}
