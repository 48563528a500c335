using System.Collections.Concurrent;

namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>A cached secret: its value, whether it may be used without asking the vault, and whether a re-read was forced.</summary>
internal readonly record struct CachedSecret(string Value, bool IsFresh, bool Invalidated);

/// <summary>
/// Secret values with the time they were read. Entries outlive their lifetime on purpose: a stale value is the
/// fallback while Key Vault is unreachable. Only a "not found" from the vault removes one.
/// </summary>
internal sealed class SecretCache(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public CachedSecret? Find(string name)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            return null;
        }

        var fresh = !entry.Invalidated && time.GetUtcNow() - entry.ReadAt < lifetime;
        return new CachedSecret(entry.Value, fresh, entry.Invalidated);
    }

    public void Store(string name, string value) => _entries[name] = new Entry(value, time.GetUtcNow(), Invalidated: false);

    public void Remove(string name) => _entries.TryRemove(name, out _);

    /// <summary>Forces a re-read but keeps the value as the fallback for an outage.</summary>
    public void Invalidate(string name)
    {
        while (_entries.TryGetValue(name, out var entry) && !entry.Invalidated)
        {
            if (_entries.TryUpdate(name, entry with { Invalidated = true }, entry))
            {
                return;
            }
        }
    }

    public void InvalidateAll()
    {
        foreach (var name in _entries.Keys)
        {
            Invalidate(name);
        }
    }

    private sealed record Entry(string Value, DateTimeOffset ReadAt, bool Invalidated);
}
