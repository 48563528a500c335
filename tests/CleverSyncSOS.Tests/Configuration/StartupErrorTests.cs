using CleverSyncSOS.Tests.Cli;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Configuration;

/// <summary>
/// Bad settings and an unusable environment stop the real executable with a message naming the key or the
/// problem and exit code 3, never a stack trace (issue 8, defect 10).
/// </summary>
public sealed class StartupErrorTests
{
    [Theory]
    [InlineData("CleverSyncSOS__Sync__MaxParallelSchools", "abc", "CleverSyncSOS:Sync:MaxParallelSchools")]
    [InlineData("CleverSyncSOS__Sync__MaxParallelSchools", "99999999999", "CleverSyncSOS:Sync:MaxParallelSchools")]
    [InlineData("CleverSyncSOS__Databases__SessionDbProvider", "Oracle", "CleverSyncSOS:Databases:SessionDbProvider")]
    [InlineData("CleverSyncSOS__Sync__MassDeletionThresholdPercent", "NaN", "MassDeletionThresholdPercent")]
    [InlineData("CleverSyncSOS__CleverAuth__RetryPolicy__BaseDelaySeconds", "NaN", "BaseDelaySeconds")]
    [InlineData("CleverSyncSOS__CleverApi__RateLimitSlowDownShare", "NaN", "RateLimitSlowDownShare")]
    [InlineData("CleverSyncSOS__CleverApi__BaseUrl", "http://api.clever.com/v3.0/", "CleverSyncSOS:CleverApi:BaseUrl")]
    [InlineData("CleverSyncSOS__CleverAuth__TokenEndpoint", "http://clever.com/oauth/tokens", "CleverSyncSOS:CleverAuth:TokenEndpoint")]
    public async Task A_bad_setting_is_named_and_the_command_exits_3(string variable, string value, string key)
    {
        using var folder = new TempDirectory();

        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { [variable] = value }, null, "status", "--data-dir", folder.Path);

        AssertConfigurationError(result, key);
    }

    [Fact]
    public async Task A_data_folder_that_is_a_file_is_named()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        AssertConfigurationError(await CliProcess.RunAsync(null, null, "status", "--data-dir", file), "is a file, not a folder");
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_is_named()
    {
        // /proc refuses new folders even to root, which ignores permission bits.
        AssertConfigurationError(await CliProcess.RunAsync(null, null, "status", "--data-dir", "/proc/cleversync-data"), "cannot be created or written");
    }

    [Fact]
    public async Task A_corrupt_session_db_is_named()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "session.db"), new string('x', 4096));

        var result = await CliProcess.RunAsync(null, null, "status", "--data-dir", folder.Path);

        AssertConfigurationError(result, "SessionDb (Sqlite");
        Assert.Contains("file is not a database", result.Stderr);
    }

    [Fact]
    public async Task Serve_with_a_corrupt_session_db_or_a_bad_setting_prints_one_message_and_exits_3()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "session.db"), new string('x', 4096));

        var corrupt = await CliProcess.RunAsync(null, null, "serve", "--urls", "http://127.0.0.1:0", "--data-dir", folder.Path);
        var badSetting = await CliProcess.RunAsync(new Dictionary<string, string?> { ["CleverSyncSOS__Sync__MaxParallelSchools"] = "abc" }, null,
            "serve", "--urls", "http://127.0.0.1:0", "--data-dir", folder.Path);

        AssertConfigurationError(corrupt, "file is not a database");
        AssertConfigurationError(badSetting, "CleverSyncSOS:Sync:MaxParallelSchools");
        Assert.DoesNotContain("Hosting failed to start", corrupt.Output + badSetting.Output);
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_SessionDb_is_named_without_its_password()
    {
        using var folder = new TempDirectory();
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["CleverSyncSOS__Databases__SessionDbProvider"] = "PostgreSql",
            ["CleverSyncSOS__Databases__SessionDbConnectionString"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=u;Password=pw-that-must-not-show;Timeout=3",
        }, null, "status", "--data-dir", folder.Path);

        AssertConfigurationError(result, "SessionDb (PostgreSql, Host=127.0.0.1;Port=1;Database=nowhere) cannot be opened");
        Assert.DoesNotContain("pw-that-must-not-show", result.Output);
    }

    [Fact]
    public async Task A_wrong_PostgreSQL_password_is_named_without_the_password()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // no server to ask (CI always has one)
        }

        using var folder = new TempDirectory();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Database = "postgres", Password = "wrong-password-xyz" };

        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["CleverSyncSOS__Databases__SessionDbProvider"] = "PostgreSql",
            ["CleverSyncSOS__Databases__SessionDbConnectionString"] = connection.ToString(),
        }, null, "status", "--data-dir", folder.Path);

        AssertConfigurationError(result, "password authentication failed");
        Assert.DoesNotContain("wrong-password-xyz", result.Output);
    }

    [Fact]
    public async Task An_unreachable_Key_Vault_is_named()
    {
        using var folder = new TempDirectory();
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["CleverSyncSOS__Secrets__Provider"] = "KeyVault",
            ["CleverSyncSOS__Secrets__VaultUri"] = "https://127.0.0.1:1/",
        }, null, "status", "--data-dir", folder.Path);

        AssertConfigurationError(result, "SessionDb's connection string could not be read from Key Vault https://127.0.0.1:1/");
        Assert.Contains("Connection refused", result.Stderr);
    }

    [Theory]
    [InlineData("sync", "--bogus")]
    [InlineData("school", "add", "--district")]
    [InlineData("no-such-command")]
    [InlineData("school", "add", "--district", "d1")]
    public async Task Bad_arguments_get_a_usage_error_and_exit_3(params string[] args)
    {
        using var folder = new TempDirectory();

        var result = await CliProcess.RunAsync(null, null, [.. args, "--data-dir", folder.Path]);

        Assert.True(result.ExitCode == 3, result.Output);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Contains("Usage:", result.Stdout + result.Stderr);
    }

    private static void AssertConfigurationError(CliResult result, string expected)
    {
        Assert.True(result.ExitCode == 3, result.Output);
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("Unhandled exception", result.Output);
    }
}
