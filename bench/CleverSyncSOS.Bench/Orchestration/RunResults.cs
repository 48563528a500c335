namespace CleverSyncSOS.Bench.Orchestration;

/// <summary>What every worker of a run returned, by key (scenario/provider/size), or why it did not run.</summary>
internal sealed class RunResults
{
    private readonly Dictionary<string, WorkerResult> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);

    public static string Key(string scenario, string provider, int size) => $"{scenario}/{provider}/{size}";

    public bool AnyFailed => _results.Values.Any(r => r.Error is not null);

    public void Add(string key, WorkerResult result) => _results[key] = result;

    public void Skip(string key, string reason) => _skipped[key] = reason;

    public Measurement? Find(string key, string name) =>
        _results.TryGetValue(key, out var result) ? result.Measurements.FirstOrDefault(m => m.Name == name) : null;

    public IReadOnlyList<Measurement> All(string key) =>
        _results.TryGetValue(key, out var result) ? result.Measurements : [];

    /// <summary>"skipped: ...", "failed: ..." or null when the worker ran.</summary>
    public string? Problem(string key) =>
        _skipped.TryGetValue(key, out var reason) ? "skipped: " + reason
        : _results.TryGetValue(key, out var result) && result.Error is { } error ? "failed: " + FirstLine(error)
        : _results.ContainsKey(key) ? null
        : "not run";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
