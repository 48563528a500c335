using System.ComponentModel.DataAnnotations;

namespace CleverSyncSOS.Host.Service.Alerts;

/// <summary><c>CleverSyncSOS:Alerts</c>: when a school's failures become an alert, and where the optional webhook goes.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "CleverSyncSOS:Alerts";

    /// <summary>The consecutive failed sync of a school that alerts first (and each one after).</summary>
    [Range(1, 1000)]
    public int ConsecutiveFailures { get; set; } = 3;

    /// <summary>Optional: an http(s) URL that receives a JSON summary of failed and held runs.</summary>
    public string? WebhookUrl { get; set; }

    [Range(0, 10)]
    public int WebhookMaxRetries { get; set; } = 4;

    [Range(0.01, 600)]
    public double WebhookBaseDelaySeconds { get; set; } = 2;
}
