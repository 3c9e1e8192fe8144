namespace DataVault.Testing;

/// <summary>Waits for a state another thread brings about (a queue filled, a writer blocked), without relying on how long it takes.</summary>
internal static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test if it does not within a generous minute.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
