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

        Assert.Contains("CleverSyncSOS:CleverAuth:TokenEndpoint must be an absolute https URL; the value 'clever.com/oauth/tokens' is not.", message);
        Assert.Contains("MaxRetries", message);
        Assert.Contains("CleverSyncSOS:CleverApi:BaseUrl", message);
        Assert.Contains("MaxParallelSchools", message);
        Assert.Contains("CleverSyncSOS:Secrets:VaultUri", message);
    }

    [Theory]
    [InlineData("http://clever.com/oauth/tokens", "http://api.clever.com/v3.0/", "https://vault.example.net/", 2)]
    [InlineData("http://10.0.0.5/oauth/tokens", "https://api.clever.com/v3.0/", "http://127.0.0.1:8443/", 2)]
    [InlineData("http://127.0.0.1:5080/oauth/tokens", "http://localhost:5080/v3.0/", "https://127.0.0.1:8443/", 0)]
    [InlineData("http://[::1]:5080/oauth/tokens", "https://api.clever.com/v3.0/", "https://vault.example.net/", 0)]
    public void Clever_and_Key_Vault_urls_need_tls_unless_they_are_on_this_machine(string tokenEndpoint, string baseUrl, string vaultUri, int failures)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CleverSyncSOS:CleverAuth:TokenEndpoint"] = tokenEndpoint,
            ["CleverSyncSOS:CleverApi:BaseUrl"] = baseUrl,
            ["CleverSyncSOS:Secrets:Provider"] = "KeyVault",
            ["CleverSyncSOS:Secrets:VaultUri"] = vaultUri,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddCleverSyncCore(configuration).BuildServiceProvider();

        var messages = CommandHost.ConfigurationFailures(services);

        Assert.True(messages.Count == failures, string.Join("\n", messages));
        Assert.All(messages, m => Assert.Contains("must use https", m));
    }

    [Fact]
    public void The_shipped_appsettings_are_valid()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        using var services = new ServiceCollection().AddLogging().AddCleverSyncCore(configuration).BuildServiceProvider();

        Assert.Empty(CommandHost.ConfigurationFailures(services));
    }
}
