namespace DataVault.Portal.Localization;

/// <summary>
/// Identity's messages for what a customer can get wrong when setting up an account, in the
/// request's language (outside portal pages, e.g. for the CLI, that is English).
/// </summary>
internal sealed class AccountErrorDescriber(IStringLocalizer<AccountText> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = text["Passwords must be at least {0} characters.", length] };

    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = text["This e-mail address is already used by another account."] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = text["Enter an e-mail address like name@example.com."] };
}
