using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Service.Alerts;

/// <summary>
/// Posts alert notices to <see cref="AlertOptions.WebhookUrl"/> in the background, a batch at a time, retried with
/// exponential backoff by the HTTP client's resilience pipeline. A webhook that is down delays only its own notices.
/// </summary>
public sealed partial class AlertWebhookSender(SyncAlerts alerts, IHttpClientFactory http, IOptions<AlertOptions> options, ILogger<AlertWebhookSender> logger)
    : BackgroundService
{
    public const string HttpClientName = "alert-webhook";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.WebhookUrl))
        {
            return;
        }

        var url = new Uri(options.Value.WebhookUrl);
        try
        {
            while (await alerts.Notices.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<AlertNotice>();
                while (batch.Count < 100 && alerts.Notices.TryRead(out var notice))
                {
                    batch.Add(notice);
                }

                try
                {
                    using var client = http.CreateClient(HttpClientName);
                    using var response = await client.PostAsJsonAsync(url, new
                    {
                        source = "CleverSyncSOS",
                        failed = batch.Where(n => n.Kind == "failed").ToList(),
                        held = batch.Where(n => n.Kind == "held").ToList(),
                    }, stoppingToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        LogWebhookFailed(logger, batch.Count, $"HTTP {(int)response.StatusCode}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !stoppingToken.IsCancellationRequested)
                {
                    LogWebhookFailed(logger, batch.Count, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "The alert webhook did not take {Count} notices: {Reason}")]
    private static partial void LogWebhookFailed(ILogger logger, int count, string reason);
}
