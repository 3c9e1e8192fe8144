namespace DataVault.Portal.AccountSafety;

/// <summary>
/// A page of the second sign-in step (<see cref="SecondSignInStep"/>): the form while a password step is pending, and on
/// post the code checked, recorded and, when right, the holder signed in. Each kind of code says only what differs:
/// how the code is checked, what is recorded, what a wrong one is told, and what follows a right one.
/// </summary>
internal abstract class SecondSignInPage<TInput>(SecondSignInStep step, ILogger logger) : PageModel
    where TInput : class, new()
{
    [BindProperty]
    public TInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The audit action a use of this kind of code is recorded as.</summary>
    protected abstract string Action { get; }

    /// <summary>What the holder is told when the code is wrong.</summary>
    protected abstract string WrongCode { get; }

    protected ILogger Logger => logger;

    public Task<IActionResult> OnGetAsync() => step.ShowAsync(this, ReturnUrl);

    public async Task<IActionResult> OnPostAsync()
    {
        var (answer, account) = await step.SignInAsync(this, Action, SignInWithCodeAsync, WrongCode, logger, ReturnUrl);
        return answer ?? await SignedInAsync(account!);
    }

    /// <summary>Signs in with the posted code.</summary>
    protected abstract Task<SignInResult> SignInWithCodeAsync();

    /// <summary>Where the holder goes once signed in with a right code.</summary>
    protected abstract Task<IActionResult> SignedInAsync(CustomerAccount account);

    /// <summary>The page the holder was on their way to, if it is one of the portal's, otherwise <paramref name="fallback"/>.</summary>
    protected IActionResult Continue(string fallback) => LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : fallback);
}
