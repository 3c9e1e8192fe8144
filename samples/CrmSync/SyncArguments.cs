using System.Diagnostics.CodeAnalysis;

namespace CrmSync;

/// <summary>The command line; the client id and secret may come from the environment instead.</summary>
internal sealed record SyncArguments(Uri BaseUrl, string ClientId, string ClientSecret, string Purpose, string Output)
{
    public const string Usage = """
        Usage: CrmSync [sync] --base-url <url> --purpose <purpose-id> --output <file.csv> [--follow] [--client-id <id>] [--client-secret <secret>]

          --base-url       DataVault service root, e.g. http://localhost:5080
          --purpose        purpose to export for, e.g. marketing-email
          --output         CSV file to write (replaced only when the export completes)
          --follow         keep the file in step with the change feed until stopped (Ctrl+C): drops withdrawn and
                           erased subjects, refetches rectified ones, acknowledges every change (scope changes.read)
          --client-id      or the DATAVAULT_CLIENT_ID environment variable
          --client-secret  or the DATAVAULT_CLIENT_SECRET environment variable (preferred: arguments are visible to other users)
        """;

    /// <summary>Keep the copy in step with the change feed after the export.</summary>
    public bool Follow { get; init; }

    /// <summary>The secret is never printed, even when the record is.</summary>
    public override string ToString() => $"SyncArguments {{ BaseUrl = {BaseUrl}, ClientId = {ClientId}, Purpose = {Purpose}, Output = {Output}, Follow = {Follow} }}";

    public static bool TryParse(
        IReadOnlyList<string> args, Func<string, string?> environment, [NotNullWhen(true)] out SyncArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--base-url", "--client-id", "--client-secret", "--purpose", "--output"];
        var follow = false;
        for (var i = args.Count > 0 && args[0] == "sync" ? 1 : 0; i < args.Count; i++)
        {
            if (args[i] == "--follow")
            {
                follow = true;
                continue;
            }

            if (!known.Contains(args[i], StringComparer.Ordinal) || i + 1 == args.Count)
            {
                error = $"Unknown option or missing value: {args[i]}";
                return false;
            }

            values[args[i]] = args[++i];
        }

        var clientId = values.GetValueOrDefault("--client-id") ?? environment("DATAVAULT_CLIENT_ID");
        var clientSecret = values.GetValueOrDefault("--client-secret") ?? environment("DATAVAULT_CLIENT_SECRET");
        var missing = new[]
        {
            ("--base-url", values.GetValueOrDefault("--base-url")),
            ("--purpose", values.GetValueOrDefault("--purpose")),
            ("--output", values.GetValueOrDefault("--output")),
            ("--client-id or DATAVAULT_CLIENT_ID", clientId),
            ("--client-secret or DATAVAULT_CLIENT_SECRET", clientSecret),
        }.Where(v => string.IsNullOrWhiteSpace(v.Item2)).Select(v => v.Item1).ToList();
        if (missing.Count > 0)
        {
            error = "Missing: " + string.Join(", ", missing);
            return false;
        }

        if (!Uri.TryCreate(values["--base-url"], UriKind.Absolute, out var baseUrl))
        {
            error = "--base-url must be an absolute URL, e.g. http://localhost:5080";
            return false;
        }

        parsed = new SyncArguments(baseUrl, clientId!, clientSecret!, values["--purpose"], values["--output"]) { Follow = follow };
        error = null;
        return true;
    }
}
