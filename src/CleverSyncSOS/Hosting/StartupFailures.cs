using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Hosting;

/// <summary>
/// Recognises what stops a command because of its configuration or environment (a bad value, an unusable data
/// folder, SessionDb or Key Vault unreachable) and turns it into messages for the operator, each naming the key or
/// the problem. Anything it does not recognise is a fault of the command, not of its configuration.
/// </summary>
public static class StartupFailures
{
    /// <summary>The operator's messages, or null when <paramref name="exception"/> is not a configuration problem.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.Select(Describe).ToList() is var inner && inner.All(i => i is not null) =>
            inner.SelectMany(i => i!).ToList(),
        ConfigurationException or KeyVaultUnavailableException or SecretNotFoundException => [exception.Message],
        // Binding "abc" or "99999999999" to an int, or an unknown enum name: the binder's message names the key.
        InvalidOperationException when exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [$"{exception.Message.TrimEnd('.')}: {exception.InnerException?.GetBaseException().Message ?? "not a valid value"}"],
        _ => null,
    };
}
