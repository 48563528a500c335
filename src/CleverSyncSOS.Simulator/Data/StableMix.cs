namespace CleverSyncSOS.Simulator.Data;

/// <summary>SplitMix64 finaliser: a stable (cross-process, cross-runtime) hash, unlike string.GetHashCode.</summary>
internal static class StableMix
{
    public static ulong Hash(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Combine(ulong a, ulong b) => Hash(a ^ Hash(b));
}

/// <summary>
/// A tiny deterministic random stream keyed by (seed, record number), so any single user can be
/// regenerated on demand without generating the ones before it (what makes million-user schools cheap).
/// </summary>
internal struct DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(ulong seed, long stream) => _state = StableMix.Combine(seed, (ulong)stream);

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableMix.Hash(_state);
    }

    /// <summary>Uniform-enough integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    public bool Chance(int percent) => Next(100) < percent;

    public string Hex(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = "0123456789abcdef"[Next(16)];
        return new string(chars);
    }
}
