namespace DataVault.Portal.Pages;

/// <summary>The signed-in landing page: who is signed in. The customer's "my data" pages come with the portal work.</summary>
internal sealed class IndexModel(UserManager<CustomerAccount> users, SignInManager<CustomerAccount> signIn) : PageModel
{
    public string Email { get; private set; } = string.Empty;

    public bool IsCustomer { get; private set; }

    public bool TwoFactorEnabled { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        // The cookie can outlive its account (erasure deletes it): read the account, not the cookie's claims.
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        Email = account.Email ?? string.Empty;
        IsCustomer = account.SubjectId is not null;
        TwoFactorEnabled = account.TwoFactorEnabled;
        Roles = (await users.GetRolesAsync(account)).Order(StringComparer.Ordinal).ToList();
        return Page();
    }
}
