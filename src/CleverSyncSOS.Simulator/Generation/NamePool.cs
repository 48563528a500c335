using Bogus;
using Bogus.Bson;
using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Simulator.Generation;

/// <summary>A person's generated name and the matching email/username local part.</summary>
internal readonly record struct PersonName(string First, string Last, string EmailLocal);

/// <summary>
/// Names from Bogus' English lists, assigned by a seeded bijection over (first, last) pairs:
/// every user number gets a distinct pair, so first.last emails are unique without a registry
/// and any user can be named on demand. Past ~1.4M users a numeric suffix keeps them unique.
/// </summary>
internal sealed class NamePool
{
    private static readonly Lazy<NameLists> Lists = new(NameLists.Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NameLists _lists;
    private readonly long _pairs;
    private readonly long _multiplier;
    private readonly long _offset;

    public NamePool(ulong seedHash)
    {
        _lists = Lists.Value;
        _pairs = (long)_lists.First.Length * _lists.Last.Length;
        // Any multiplier coprime with the pair count makes (n * a + b) mod pairs a permutation.
        var candidate = 700_001 + (long)(seedHash % 100_000);
        while (Gcd(candidate, _pairs) != 1) candidate++;
        _multiplier = candidate;
        _offset = (long)(StableMix.Hash(seedHash) % (ulong)_pairs);
    }

    public PersonName NameFor(long ordinal)
    {
        var round = ordinal / _pairs;
        var slot = ((ordinal % _pairs) * _multiplier + _offset) % _pairs;
        var f = (int)(slot % _lists.First.Length);
        var l = (int)(slot / _lists.First.Length);
        var local = _lists.FirstSlug[f] + "." + _lists.LastSlug[l];
        if (round > 0) local += round.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new PersonName(_lists.First[f], _lists.Last[l], local);
    }

    public string FirstName(ref DeterministicRandom random) => _lists.First[random.Next(_lists.First.Length)];

    public string LastName(ref DeterministicRandom random) => _lists.Last[random.Next(_lists.Last.Length)];

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private sealed record NameLists(string[] First, string[] FirstSlug, string[] Last, string[] LastSlug)
    {
        public static NameLists Load()
        {
            var (first, firstSlug) = Read("first_name");
            var (last, lastSlug) = Read("last_name");
            return new NameLists(first, firstSlug, last, lastSlug);
        }

        // Deduplicated by slug so distinct pairs always give distinct email local parts.
        private static (string[] Names, string[] Slugs) Read(string path)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var names = new List<string>();
            var slugs = new List<string>();
            if (Database.Get("name", path, "en") is BArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    var name = array[i].StringValue?.Trim();
                    if (string.IsNullOrEmpty(name)) continue;
                    var slug = Slug(name);
                    if (slug.Length == 0 || !seen.Add(slug)) continue;
                    names.Add(name);
                    slugs.Add(slug);
                }
            }
            if (names.Count == 0) throw new InvalidOperationException($"Bogus has no '{path}' list for locale 'en'.");
            return (names.ToArray(), slugs.ToArray());
        }

        private static string Slug(string name) =>
            new(name.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());
    }
}
