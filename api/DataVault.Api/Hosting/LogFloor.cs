using Microsoft.Extensions.Options;

namespace DataVault.Api.Hosting;

/// <summary>
/// A minimum level for a log category that no logging setting can lower, however specific: applied
/// after every other configuration of the filters (a post-configuration). Logging's rule selection
/// prefers a provider's own rules to the rules for all providers, so a rule for the category is added
/// for every provider named in a rule, and rules for narrower categories are raised to the floor. The
/// added rule keeps the level the settings gave the category when that is above the floor: a floor
/// only ever makes a category quieter, never chattier than configured.
/// </summary>
internal sealed class LogFloor(string category, LogLevel level) : IPostConfigureOptions<LoggerFilterOptions>
{
    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            if (rule.CategoryName?.StartsWith(category, StringComparison.OrdinalIgnoreCase) == true && !(rule.LogLevel >= level))
            {
                options.Rules[i] = new LoggerFilterRule(rule.ProviderName, rule.CategoryName, level, rule.Filter);
            }
        }

        foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct(StringComparer.Ordinal).ToList())
        {
            var configured = Configured(options, provider);
            options.Rules.Add(new LoggerFilterRule(provider, category, configured > level ? configured : level, filter: null));
        }
    }

    /// <summary>
    /// The level the settings give the category for <paramref name="provider"/>, picked as logging picks it: the
    /// provider's own rules before the rules for all providers, then the longest category that is a prefix.
    /// </summary>
    private LogLevel Configured(LoggerFilterOptions options, string? provider)
    {
        var rule = options.Rules
            .Where(r => (r.ProviderName is null || r.ProviderName == provider)
                && (r.CategoryName is null || category.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(r => r.ProviderName is not null)
            .ThenByDescending(r => r.CategoryName?.Length ?? 0)
            .FirstOrDefault();
        return rule?.LogLevel ?? options.MinLevel;
    }
}

internal static class LogFloorExtensions
{
    /// <summary>Keeps <paramref name="category"/> (and the categories under it) at <paramref name="level"/> or above.</summary>
    public static IServiceCollection AddLogFloor(this IServiceCollection services, string category, LogLevel level) =>
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(new LogFloor(category, level));
}
