using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// Runs axe-core (the npm package pinned in <c>tools/package.json</c>) in a page and fails on any
/// violation of WCAG 2.0, 2.1 or 2.2 at level A or AA, naming each rule, its impact, what it asks
/// for and the elements that break it.
/// </summary>
internal static class Accessibility
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "tools", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(path), $"axe-core is not installed at {path}: run npm ci --prefix tools.");
        return File.ReadAllText(path);
    });

    private const string RunAxe = """
        async tags => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact ?? '',
                help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary ?? '').replace(/\s+/g, ' ')),
            }));
        }
        """;

    /// <summary>Checks the page as it is now. The page's context must bypass the portal's CSP (see <see cref="PortalWindow"/>).</summary>
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = AxeSource.Value });
        }

        var violations = await page.EvaluateAsync<JsonElement>(RunAxe, WcagTags);
        if (violations.GetArrayLength() == 0)
        {
            return;
        }

        var report = new StringBuilder($"axe-core found WCAG A/AA violations on {name} ({page.Url}):");
        foreach (var violation in violations.EnumerateArray())
        {
            report.AppendLine().Append(CultureInvariant($"- {violation.GetProperty("id").GetString()} [{violation.GetProperty("impact").GetString()}]: {violation.GetProperty("help").GetString()}"));
            foreach (var node in violation.GetProperty("nodes").EnumerateArray())
            {
                report.AppendLine().Append("    ").Append(node.GetString());
            }
        }

        Assert.Fail(report.ToString());
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
