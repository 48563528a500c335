using System.Text.Json;
using CleverSyncSOS.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleverSyncSOS.Credentials;

/// <summary>
/// Secrets in a JSON file readable only by its owner (0600): the laptop stand-in for Key Vault. Read on every call,
/// so a secret changed by <c>cleversync secrets set</c> is seen at once (rotation without restart). A file others
/// can read (copied, or made by hand) is set to 0600 with a warning before it is used.
/// </summary>
public sealed class LocalSecretStore(string path, ILogger<LocalSecretStore>? logger = null) : ISecretStore
{
    private readonly ILogger _logger = logger ?? NullLogger<LocalSecretStore>.Instance;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var secrets = await ReadAsync(cancellationToken);
            return secrets.GetValueOrDefault(name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SetSecretAsync(string name, string value, CancellationToken cancellationToken)
    {
        if (!SecretNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid secret name: use 1–127 letters, digits and dashes.", nameof(name));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var secrets = await ReadAsync(cancellationToken);
            secrets[name] = value;
            await WriteAsync(secrets, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, string>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        PrivateFiles.Tighten(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite, _logger);
        await using var stream = File.OpenRead(Path);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, SecretFileJsonContext.Default.DictionaryStringString, cancellationToken)
                   ?? new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // Never echo the file's content: it is all secrets.
            throw new InvalidOperationException($"The local secret store '{Path}' is not a valid JSON object of name/value strings.");
        }
    }

    private async Task WriteAsync(Dictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            PrivateFiles.Folder(folder, _logger);
        }

        // A leftover temporary file would keep its own mode: start from a new one, created 0600.
        var temporary = Path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, secrets, SecretFileJsonContext.Default.DictionaryStringString, cancellationToken);
        }

        // Replace atomically so a crash never leaves a half-written store.
        File.Move(temporary, Path, overwrite: true);
    }
}
