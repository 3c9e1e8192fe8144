namespace DataVault.Policies.Tests;

/// <summary>
/// A catalogue written into a fresh temporary directory, deleted on dispose. The baseline is small but valid;
/// tests break it with <see cref="Edit"/>, one targeted change at a time.
/// </summary>
internal sealed class TemporaryCatalogue : IDisposable
{
    // fields[3] is 'phone', purposes[1] is 'marketing-email': the entries most tests break.
    public const string Fields = """
        key_groups:
          - name: standard
            description: Everyday customer data.
          - name: legal-hold
            description: Invoicing records kept by law.
            retain_after_erasure: P10Y

        fields:
          - name: email
            type: email
            data_category: user.contact.email
            searchable: true
            key_group: standard
            validation:
              max_length: 254
            title:
              en: Email address
          - name: given_name
            type: text
            data_category: user.name.first
            key_group: standard
            validation:
              max_length: 100
            title:
              en: First name
              es: Nombre
          - name: preferred_language
            type: language
            data_category: user.demographic.language
            key_group: standard
            validation:
              allowed_values: [en, es, ca]
            title:
              en: Preferred language
          - name: phone
            type: phone
            data_category: user.contact.phone_number
            key_group: standard
            title:
              en: Phone number
          - name: interests
            type: text_list
            data_category: user.demographic.profile
            key_group: standard
            validation:
              max_items: 5
              max_length: 40
            title:
              en: Interests
          - name: tax_id
            type: text
            data_category: user.government_id.national_identification_number
            key_group: legal-hold
            validation:
              max_length: 32
            title:
              en: Tax number

        """;

    public const string Purposes = """
        purposes:
          - id: service-delivery
            lawful_basis: contract
            fields: [email, given_name, phone]
            retention: P2Y
            text:
              en:
                title: Providing our service
                description: We use your details to provide the service.
          - id: marketing-email
            lawful_basis: consent
            fields: [email, given_name, preferred_language]
            retention: P2Y
            gpc_objection: false
            text:
              en:
                title: Marketing emails
                description: >-
                  With your consent, we send you offers
                  by email.
              es:
                title: Correos de marketing
                description: Con tu consentimiento, te enviamos ofertas por correo.
          - id: invoicing
            lawful_basis: legal-obligation
            fields: [tax_id]
            retention: P10Y
            text:
              en:
                title: Invoicing
                description: We keep invoices as the law requires.

        """;

    public TemporaryCatalogue(string? fields = Fields, string? purposes = Purposes)
    {
        Directory = Path.Combine(Path.GetTempPath(), "datavault-policies-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        if (fields is not null)
        {
            File.WriteAllText(Path.Combine(Directory, "fields.yaml"), fields);
        }

        if (purposes is not null)
        {
            File.WriteAllText(Path.Combine(Directory, "purposes.yaml"), purposes);
        }
    }

    public string Directory { get; }

    /// <summary>Loads a catalogue made of the given files; null leaves a file out.</summary>
    public static PolicyCatalogue Load(string? fields = Fields, string? purposes = Purposes)
    {
        using var catalogue = new TemporaryCatalogue(fields, purposes);
        return PolicyCatalogueLoader.Load(catalogue.Directory);
    }

    /// <summary>Loads a catalogue that must be refused, and returns why.</summary>
    public static PolicyCatalogueException LoadFails(string? fields = Fields, string? purposes = Purposes)
    {
        using var catalogue = new TemporaryCatalogue(fields, purposes);
        return Assert.Throws<PolicyCatalogueException>(() => PolicyCatalogueLoader.Load(catalogue.Directory));
    }

    /// <summary>Replaces the one occurrence of <paramref name="find"/>, so a test cannot silently edit nothing.</summary>
    public static string Edit(string text, string find, string replace)
    {
        var first = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(first >= 0, $"'{find}' is not in the baseline");
        Assert.True(text.IndexOf(find, first + 1, StringComparison.Ordinal) < 0, $"'{find}' occurs more than once in the baseline");
        return string.Concat(text.AsSpan(0, first), replace, text.AsSpan(first + find.Length));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
