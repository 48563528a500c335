using System.Net;
using System.Text.Json;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Commands;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Service;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Health;

public sealed class CleverAuthHealthEndpointTests
{
    [Fact]
    public async Task Health_endpoint_of_serve_reports_the_seed_fields_and_flips_to_unhealthy_on_rejected_credentials_and_back_after_rotation()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        var overrides = new Dictionary<string, string?>(DemoCommand.PointAt(env.Simulator))
        {
            ["CleverSyncSOS:CleverAuth:HealthCheckIntervalSeconds"] = "1",
            ["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "0",
        };
        await using var app = ServiceHost.Build(new CommonSettings(env.DataDir, Verbose: false), "http://127.0.0.1:0", overrides);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var healthy = await WaitForAsync(http, "Healthy");
        var district = healthy.Body.GetProperty("districts")[0];
        Assert.Equal(HttpStatusCode.OK, healthy.Status);
        Assert.Equal(env.District.Id, district.GetProperty("cleverDistrictId").GetString());
        Assert.True(district.GetProperty("isHealthy").GetBoolean());
        Assert.Equal(0, district.GetProperty("errorCount").GetInt32());
        Assert.Equal(JsonValueKind.String, district.GetProperty("lastSuccessTimestamp").ValueKind);
        Assert.Equal(JsonValueKind.String, district.GetProperty("lastCheckedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, district.GetProperty("lastErrorMessage").ValueKind);

        var newSecret = env.Simulator.Store.RotateCredentials(env.District.Id);
        var unhealthy = await WaitForAsync(http, "Unhealthy");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.Status);
        var failing = unhealthy.Body.GetProperty("districts")[0];
        Assert.False(failing.GetProperty("isHealthy").GetBoolean());
        Assert.True(failing.GetProperty("errorCount").GetInt32() >= 1);
        Assert.Contains("rejected the credentials", failing.GetProperty("lastErrorMessage").GetString());
        Assert.DoesNotContain(env.District.ClientSecret, unhealthy.Raw);
        Assert.DoesNotContain(newSecret, unhealthy.Raw);

        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(
            SecretNames.DistrictClientSecret(SecretNames.DefaultDistrictPrefix(env.District.Id)), newSecret, CancellationToken.None);
        var healed = await WaitForAsync(http, "Healthy");
        Assert.Equal(HttpStatusCode.OK, healed.Status);
        await app.StopAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> WaitForAsync(HttpClient http, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string raw = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("health/clever-auth");
            raw = await response.Content.ReadAsStringAsync();
            var body = JsonDocument.Parse(raw).RootElement.Clone();
            if (body.GetProperty("status").GetString() == status && body.GetProperty("districts").GetArrayLength() > 0)
            {
                return (response.StatusCode, body, raw);
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"/health/clever-auth never reported {status}; last answer: {raw}");
    }
}
