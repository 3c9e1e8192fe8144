using DataVault.Policies.Decisions;

namespace DataVault.Vault.Consents;

/// <summary>Mapping between <see cref="ConsentState"/> and its stored and wire form.</summary>
public static class ConsentStates
{
    public static string ToText(ConsentState state) => state switch
    {
        ConsentState.Given => "given",
        ConsentState.Refused => "refused",
        ConsentState.Withdrawn => "withdrawn",
        ConsentState.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static bool TryParse(string? text, out ConsentState state)
    {
        (var ok, state) = text switch
        {
            "given" => (true, ConsentState.Given),
            "refused" => (true, ConsentState.Refused),
            "withdrawn" => (true, ConsentState.Withdrawn),
            "expired" => (true, ConsentState.Expired),
            _ => (false, default),
        };
        return ok;
    }

    internal static ConsentState Parse(string text) =>
        TryParse(text, out var state) ? state : throw new InvalidDataException($"Unknown consent state in the database: '{text}'.");
}
