using BenchmarkDotNet.Attributes;
using DataVault.Vault.Audit;

namespace DataVault.Bench;

/// <summary>
/// One link of the audit hash chain (<see cref="AuditChain.ComputeHash"/>): canonical encoding of a
/// typical read entry and SHA-256 over it and the previous hash. Every audited request pays it once
/// when written, and offline verification once per entry; goal: well under 1 µs, so verification
/// can reach 1,000,000 entries/s.
/// </summary>
[MemoryDiagnoser]
public class AuditHashBenchmark
{
    private const string OccurredAt = "2026-11-23T10:15:30.1234567Z";

    private readonly byte[] previous = new byte[AuditChain.HashSize];

    private readonly AuditRecord read = new(
        AuditActors.Client,
        "crm-eu",
        AuditActions.SubjectRead,
        AuditOutcomes.Success,
        "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a",
        "marketing-email",
        "email,given_name,interests,preferred_language",
        "birth_date:not-in-purpose,billing_address:not-in-purpose,billing_name:not-in-purpose,family_name:not-in-purpose,phone:not-in-purpose,postal_address:not-in-purpose",
        "4bf92f3577b34da6a3ce929d0e0e4736");

    /// <summary>The hash of one consented-read entry.</summary>
    [Benchmark]
    public byte[] HashReadEntry() => AuditChain.ComputeHash(1_000_001, OccurredAt, read, previous);
}
