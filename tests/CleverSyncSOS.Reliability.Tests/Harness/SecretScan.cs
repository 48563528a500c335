namespace CleverSyncSOS.Reliability.Tests.Harness;

/// <summary>Counts the places where a credential appears: each (secret, place) pair found counts once.</summary>
public static class SecretScan
{
    public static (int Count, IReadOnlyList<string> Where) Find(IEnumerable<string> secrets, IReadOnlyDictionary<string, IEnumerable<string>> places)
    {
        var where = new List<string>();
        var wanted = secrets.Where(s => s.Length >= 8).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (place, texts) in places)
        {
            var all = string.Join("\n", texts);
            foreach (var secret in wanted.Where(s => all.Contains(s, StringComparison.Ordinal)))
            {
                where.Add($"{secret[..4]}… in {place}");
            }
        }

        return (where.Count, where);
    }

    /// <summary>The bearer tokens and Basic credentials seen on the wire by a proxy, as the secrets to look for.</summary>
    public static IEnumerable<string> FromAuthorizationHeaders(IEnumerable<string> headers)
    {
        foreach (var header in headers)
        {
            var space = header.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && header[(space + 1)..].Trim() is { Length: > 0 } credential)
            {
                yield return credential;
            }
        }
    }
}
