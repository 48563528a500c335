using System.Globalization;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>What an id names; each kind has its own 3-hex prefix so kinds never collide.</summary>
internal enum IdKind
{
    District,
    School,
    User,
    Event,
    Token,
    Legacy,
    Contact,
    Section,
    Course,
    Term,
}

/// <summary>
/// Mongo-ObjectId-like 24-hex ids: kind prefix (3) + seed tag (5) + counter (16).
/// Within a kind, ordinal string order equals counter order, which is what Clever's id-cursor paging relies on.
/// Events use prefix "66a", above users' "65f", so every event id sorts after every user id.
/// </summary>
internal sealed class ObjectIds
{
    private const int CounterDigits = 16;
    private readonly string[] _heads;

    public ObjectIds(int seed)
    {
        var tag = (StableMix.Hash((ulong)(uint)seed) & 0xFFFFF).ToString("x5", CultureInfo.InvariantCulture);
        string[] prefixes = ["65d", "65e", "65f", "66a", "65a", "58c", "65c", "65b", "659", "658"];
        _heads = prefixes.Select(p => p + tag).ToArray();
    }

    public string Format(IdKind kind, long counter) =>
        _heads[(int)kind] + counter.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The same id as <see cref="Format"/>, written as its 24 ASCII bytes (pages write ids without a string).</summary>
    public ReadOnlySpan<byte> FormatUtf8(IdKind kind, long counter, Span<byte> destination)
    {
        var head = _heads[(int)kind];
        for (var i = 0; i < head.Length; i++)
        {
            destination[i] = (byte)head[i];
        }

        counter.TryFormat(destination[head.Length..], out var digits, "x16", CultureInfo.InvariantCulture);
        return destination[..(head.Length + digits)];
    }

    /// <summary>The counter of an id this instance minted for <paramref name="kind"/>, or null.</summary>
    public long? TryParse(IdKind kind, string? id)
    {
        if (id is null || id.Length != 24) return null;
        var head = _heads[(int)kind];
        if (!id.StartsWith(head, StringComparison.OrdinalIgnoreCase)) return null;
        if (!ulong.TryParse(id.AsSpan(head.Length, CounterDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return null;
        return value > long.MaxValue ? null : (long)value;
    }

    /// <summary>
    /// Maps any 24-hex id onto this kind's counter line so a cursor from elsewhere (a deleted record,
    /// another kind) still orders correctly: ids below the kind's range map to -1, above it to long.MaxValue.
    /// Returns null when <paramref name="id"/> is not a 24-hex string.
    /// </summary>
    public long? OrderKey(IdKind kind, string id)
    {
        if (!IsObjectId(id)) return null;
        if (TryParse(kind, id) is long own) return own;
        var lower = id.ToLowerInvariant();
        var head = _heads[(int)kind];
        var cmp = string.CompareOrdinal(lower, 0, head, 0, head.Length);
        if (cmp == 0) return long.MaxValue; // counter beyond long range
        return cmp < 0 ? -1 : long.MaxValue;
    }

    public static bool IsObjectId(string? id)
    {
        if (id is null || id.Length != 24) return false;
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }
}
