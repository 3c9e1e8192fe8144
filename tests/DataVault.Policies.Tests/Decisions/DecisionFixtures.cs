using DataVault.Policies.Decisions;

namespace DataVault.Policies.Tests.Decisions;

/// <summary>Purposes, subjects and instants for the decision tests, built in code so each test shows what it relies on.</summary>
internal static class DecisionFixtures
{
    /// <summary>The instant every decision is made at, unless a test says otherwise.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public const string CurrentVersion = "v2-current";

    public const string OldVersion = "v1-old";

    /// <summary>A purpose at <see cref="CurrentVersion"/>; use <c>with { Version = … }</c> for another.</summary>
    public static PurposeDefinition Purpose(string id, LawfulBasis basis, params string[] fields) =>
        new(
            id,
            basis,
            fields,
            new IsoPeriod(2, 0, 0),
            GpcObjection: false,
            new Dictionary<string, LocalizedText> { ["en"] = new("Title of " + id, "What " + id + " does.") },
            CurrentVersion);

    public static ConsentEvent Given(string purposeId, DateTimeOffset at, string version = CurrentVersion, DateTimeOffset? expiresAt = null) =>
        new(purposeId, version, ConsentState.Given, at, expiresAt);

    public static ConsentEvent Event(string purposeId, ConsentState state, DateTimeOffset at, string version = CurrentVersion) =>
        new(purposeId, version, state, at, ExpiresAt: null);

    public static SubjectPolicyState Subject(
        bool restricted = false,
        bool erased = false,
        bool objectsToAll = false,
        params string[] objectedPurposes) =>
        new(restricted, erased, new HashSet<string>(objectedPurposes, StringComparer.Ordinal), objectsToAll);
}
