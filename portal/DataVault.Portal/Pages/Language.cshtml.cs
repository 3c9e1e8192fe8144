using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;

namespace DataVault.Portal.Pages;

/// <summary>
/// The language switcher's target: remembers the chosen language in a cookie (a form post, so it works
/// without script) and goes back to the page it came from, which must be on this site.
/// </summary>
internal sealed class LanguageModel : PageModel
{
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(365);

    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (culture is null || !PortalCultures.Codes.Contains(culture))
        {
            return BadRequest();
        }

        Response.Cookies.Append(
            PortalCultures.CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions
            {
                MaxAge = Remembered,
                HttpOnly = true,
                Secure = Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
            });
        return LocalRedirect(returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
