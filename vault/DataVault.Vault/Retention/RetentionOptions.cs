using System.ComponentModel.DataAnnotations;
using DataVault.Policies;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Retention;

/// <summary>The <c>Retention</c> settings: when the retention sweep runs and how long replaced versions are kept.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// How often the sweep destroys what the retention rule says must go (and legal-hold keys whose hold ended).
    /// Default: 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a version replaced by a rectification (GDPR Art. 16) is kept, counted from its replacement, in case the
    /// correction is disputed; an ISO 8601 date duration. Default: <c>P30D</c>.
    /// </summary>
    public string SupersededVersions { get; set; } = "P30D";

    /// <summary>How many subjects one step of the sweep looks at before it records its place. Default: 256.</summary>
    [Range(1, 100_000)]
    public int SubjectsPerStep { get; set; } = 256;
}

/// <summary>Refuses to start with a <see cref="RetentionOptions.SupersededVersions"/> that is not a date duration.</summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        IsoPeriod.TryParse(options.SupersededVersions, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{RetentionOptions.SectionName}:{nameof(RetentionOptions.SupersededVersions)} must be an ISO 8601 date duration such as P30D.");
}
