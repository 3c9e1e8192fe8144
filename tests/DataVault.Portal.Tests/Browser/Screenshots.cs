using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// Full-page PNGs of every page a browser test visits, for a person to look through after a run:
/// <c>artifacts/screenshots/&lt;test class&gt;/&lt;test&gt;/&lt;step number&gt;-&lt;step&gt;-&lt;language&gt;.png</c>
/// under the repository root (git-ignored). Each run replaces the folder of each test it runs.
/// </summary>
internal static partial class Screenshots
{
    public static string Root { get; } = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "screenshots");

    /// <summary>A fresh, empty folder for one test's screenshots.</summary>
    public static string FolderFor(string testClass, string test)
    {
        var folder = Path.Combine(Root, Safe(testClass), Safe(test));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    public static async Task SaveAsync(IPage page, string folder, int step, string name, string language)
    {
        ArgumentNullException.ThrowIfNull(page);
        var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{step:00}-{Safe(name)}-{Safe(language)}.png"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }

    private static string Safe(string text) => Unsafe().Replace(text, "-").Trim('-').ToLowerInvariant() is { Length: > 0 } safe ? safe : "root";

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Unsafe();
}
