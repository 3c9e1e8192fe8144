using System.Text.Json;
using DataVault.Vault.Consents;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class VaultWriteGateTests
{
    [Fact]
    public async Task EnterAsync_WhileAnotherWriterIsInside_WaitsUntilItLeaves()
    {
        using var gate = new VaultWriteGate();
        var first = await gate.EnterAsync(CancellationToken.None);

        var second = gate.EnterAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        first.Dispose();
        first.Dispose();
        (await second).Dispose();
        (await gate.EnterAsync(CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task VaultWrites_WhileTheGateIsHeld_WaitForItInsteadOfContendingForTheDatabase()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var existing = await subjects.CreateAsync(Fields("""{"email":"ana@example.com"}"""), CancellationToken.None);
        var gate = vault.Services.GetRequiredService<VaultWriteGate>();

        var held = await gate.EnterAsync(CancellationToken.None);
        await using var other = vault.Scope();
        var create = other.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields("""{"email":"marta@example.com"}"""), CancellationToken.None);
        await using var third = vault.Scope();
        var consent = third.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(
            existing.Value!.Id,
            new RecordConsentCommand("marketing-email", "given", null, null, "api", "en", null, Actor.Client("crm")),
            CancellationToken.None);
        await Task.Delay(200);

        Assert.False(create.IsCompleted);
        Assert.False(consent.IsCompleted);
        held.Dispose();
        Assert.Equal(VaultOutcome.Ok, (await create).Outcome);
        Assert.Equal(VaultOutcome.Ok, (await consent).Outcome);
    }

    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
