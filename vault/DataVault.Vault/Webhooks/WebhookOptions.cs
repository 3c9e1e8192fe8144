using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault.Webhooks;

/// <summary>Signed webhooks (<c>Webhooks:*</c>): how deliveries are retried, given up and where they may go.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>How long a delivery is retried before it is dead-lettered, counted from when it was queued (or replayed). Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait after a first failed attempt; each further failure doubles it, with jitter, up to <see cref="MaxRetryDelay"/>. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts, also the most a receiver's <c>Retry-After</c> can ask for. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt may take, connection included. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the secret a rotation replaces still signs deliveries beside the new one. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the dispatcher looks for due deliveries besides being woken by routing. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many subscriptions are delivered to at once (one delivery at a time each, in order). Default 8.</summary>
    [Range(1, 64)]
    public int MaxParallelDeliveries { get; set; } = 8;

    /// <summary>Most subscriptions per client. Default 10.</summary>
    [Range(1, 100)]
    public int MaxSubscriptionsPerClient { get; set; } = 10;

    /// <summary>Whether a subscription may use plain <c>http</c>. Default: only in Development.</summary>
    public bool? AllowHttp { get; set; }

    /// <summary>
    /// Whether deliveries may go to loopback, private, link-local or other non-public addresses (a guard against
    /// server-side request forgery into the vault's own network). Default: only in Development and Testing.
    /// </summary>
    public bool? AllowPrivateNetworks { get; set; }
}
