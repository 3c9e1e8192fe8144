using System.Net;
using System.Text.RegularExpressions;

namespace DataVault.Portal.Tests;

/// <summary>
/// Antiforgery on every form: walks every portal page a visitor, a signed-in customer and an officer
/// can reach by following links, requires an antiforgery token in every POST form, and posts each
/// such form without its token, which must be refused with 400 before anything happens.
/// </summary>
public sealed partial class AntiforgeryTests
{
    /// <summary>Enough for every page of the portal; a guard against a crawl that never ends.</summary>
    private const int MaxPages = 80;

    [Fact]
    public async Task EveryPostForm_Anonymous_CarriesATokenAndIsRefusedWithoutIt()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api);
        using var browser = new PortalBrowser(app);

        var forms = await WalkAsync(browser, "/account/login", activation);

        Assert.Contains(forms, f => f.Action.StartsWith("/account/login", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Action.StartsWith("/account/activate", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Action == "/language");
        await AssertRefusedWithoutTokenAsync(browser, forms);
    }

    [Fact]
    public async Task EveryPostForm_SignedInCustomer_CarriesATokenAndIsRefusedWithoutIt()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await PortalSignIns.CustomerAsync(app, browser);

        var forms = await WalkAsync(browser, "/", "/account/two-factor", "/account/logout");

        Assert.Contains(forms, f => f.Action == "/account/logout");
        Assert.Contains(forms, f => f.Action.StartsWith("/account/two-factor", StringComparison.Ordinal));
        await AssertRefusedWithoutTokenAsync(browser, forms);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Status);
    }

    [Fact]
    public async Task EveryPostForm_SignedInOfficer_CarriesATokenAndIsRefusedWithoutIt()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await PortalSignIns.OfficerAsync(app, browser);

        var forms = await WalkAsync(browser, "/", "/account/two-factor");

        Assert.Contains(forms, f => f.Action == "/account/logout");
        await AssertRefusedWithoutTokenAsync(browser, forms);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Status);
    }

    /// <summary>Follows every link inside the portal from <paramref name="start"/>; returns each distinct POST form (by action and fields).</summary>
    private static async Task<List<PostForm>> WalkAsync(PortalBrowser browser, params string[] start)
    {
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        var queue = new Queue<string>(start);
        var forms = new Dictionary<string, PostForm>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var path))
        {
            Assert.True(seen.Count <= MaxPages, "The crawl found more pages than the portal has.");
            var (status, html) = await browser.GetAsync(path);
            if (status != HttpStatusCode.OK || !html.Contains("<html", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match form in Form().Matches(html))
            {
                var attributes = form.Groups["attributes"].Value;
                if (!Method().Match(attributes).Groups[1].Value.Equals("post", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var body = form.Groups["body"].Value;
                Assert.True(
                    body.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal),
                    $"A POST form on {path} has no antiforgery token: <form{attributes}>");
                var action = Action().Match(attributes) is { Success: true } a ? WebUtility.HtmlDecode(a.Groups[1].Value) : path;
                var fields = Field().Matches(body)
                    .Select(m => (Name: WebUtility.HtmlDecode(m.Groups["name"].Value), Value: WebUtility.HtmlDecode(Value().Match(m.Value).Groups[1].Value)))
                    .Where(f => f.Name != "__RequestVerificationToken")
                    .DistinctBy(f => f.Name)
                    .ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
                forms.TryAdd($"{action}|{string.Join(',', fields.Keys.Order(StringComparer.Ordinal))}", new PostForm(path, action, fields));
            }

            foreach (Match link in Link().Matches(html))
            {
                var href = WebUtility.HtmlDecode(link.Groups[1].Value);
                if (href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal) && !href.StartsWith("/assets/", StringComparison.Ordinal) && seen.Add(href))
                {
                    queue.Enqueue(href);
                }
            }
        }

        return [.. forms.Values];
    }

    private static async Task AssertRefusedWithoutTokenAsync(PortalBrowser browser, IEnumerable<PostForm> forms)
    {
        foreach (var form in forms)
        {
            using var response = await browser.PostAsync(form.Action, form.Fields, antiforgeryToken: null);
            Assert.True(
                response.StatusCode == HttpStatusCode.BadRequest,
                $"The form on {form.Page} posting to {form.Action} was answered {(int)response.StatusCode} without its antiforgery token.");
        }
    }

    private sealed record PostForm(string Page, string Action, Dictionary<string, string> Fields);

    [GeneratedRegex(@"<form(?<attributes>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    [GeneratedRegex(@"\bmethod=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Method();

    [GeneratedRegex(@"\baction=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Action();

    [GeneratedRegex(@"<(?:input|button|select|textarea)\b[^>]*\bname=""(?<name>[^""]+)""[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Field();

    [GeneratedRegex(@"\bvalue=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Value();

    [GeneratedRegex(@"<a\b[^>]*\bhref=""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Link();
}
