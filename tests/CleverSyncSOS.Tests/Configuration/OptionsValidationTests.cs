using CleverSyncSOS.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Configuration;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Bad_configuration_fails_at_start_with_every_problem_named_by_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CleverSyncSOS:CleverAuth:TokenEndpoint"] = "clever.com/oauth/tokens",
            ["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "99",
            ["CleverSyncSOS:CleverApi:BaseUrl"] = "ftp://api.clever.com",
            ["CleverSyncSOS:Sync:MaxParallelSchools"] = "0",
            ["CleverSyncSOS:Secrets:Provider"] = "KeyVault",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddCleverSyncCore(configuration).BuildServiceProvider();

        var message = string.Join("\n", CommandHost.ConfigurationFailures(services));

        Assert.Contains("CleverSyncSOS:CleverAuth:TokenEndpoint must be an absolute http(s) URL; the value 'clever.com/oauth/tokens' is not.", message);
        Assert.Contains("MaxRetries", message);
        Assert.Contains("CleverSyncSOS:CleverApi:BaseUrl", message);
        Assert.Contains("MaxParallelSchools", message);
        Assert.Contains("CleverSyncSOS:Secrets:VaultUri", message);
    }

    [Fact]
    public void The_shipped_appsettings_are_valid()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        using var services = new ServiceCollection().AddLogging().AddCleverSyncCore(configuration).BuildServiceProvider();

        Assert.Empty(CommandHost.ConfigurationFailures(services));
    }
}
