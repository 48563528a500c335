namespace CleverSyncSOS;

/// <summary>
/// Configuration or the environment it names is unusable (a data folder that is a file, SessionDb unreachable, a
/// value that cannot be read). The message names the key or the problem and is meant for the operator: commands
/// print it without a stack trace and exit with code 3.
/// </summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
