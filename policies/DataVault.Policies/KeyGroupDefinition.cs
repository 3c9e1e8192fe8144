namespace DataVault.Policies;

/// <summary>
/// A key group: the fields of one subject in one group share a data key, so the group is the unit
/// of crypto-shredding. <see cref="RetainAfterErasure"/> is set for groups under a legal hold
/// (e.g. invoicing records kept for 10 years by law): on erasure their key survives until then.
/// </summary>
/// <param name="Name">Stable identifier, e.g. <c>standard</c> or <c>legal-hold</c>.</param>
/// <param name="Description">What the group is for, in English.</param>
/// <param name="RetainAfterErasure">How long the group's data outlives an erasure request; null = shredded at once.</param>
public sealed record KeyGroupDefinition(string Name, string Description, IsoPeriod? RetainAfterErasure);
