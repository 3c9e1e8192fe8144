namespace DataVault.Vault.Mail;

/// <summary>
/// An e-mail address shown to whoever must know where a message went without learning the address:
/// the first character of the local part and the domain (<c>ana@example.com</c> → <c>a***@example.com</c>).
/// The client that asked for an invitation and the audit trail see only this form.
/// </summary>
internal static class MailAddressMask
{
    public static string Mask(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return "***";
        }

        return string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }
}
