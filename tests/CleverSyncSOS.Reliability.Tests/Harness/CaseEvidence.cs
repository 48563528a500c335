using System.Collections.Concurrent;
using System.Diagnostics;

namespace CleverSyncSOS.Reliability.Tests.Harness;

/// <summary>
/// Everything a case leaves behind that a secret must never reach: texts the case adds (errors, exception messages,
/// process output) and the tags, status and events of every activity (trace span) stopped in the case's own flow.
/// </summary>
public sealed class CaseEvidence : IDisposable
{
    private static readonly AsyncLocal<CaseEvidence?> Current = new();
    private static readonly ActivityListener Listener = StartListener();

    private CaseEvidence()
    {
    }

    public ConcurrentQueue<string> Texts { get; } = new();

    public ConcurrentQueue<string> Traces { get; } = new();

    /// <summary>Collects from here on in this async flow (the case and every task it starts).</summary>
    public static CaseEvidence Begin()
    {
        GC.KeepAlive(Listener);
        var evidence = new CaseEvidence();
        Current.Value = evidence;
        return evidence;
    }

    public void Add(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            Texts.Enqueue(text);
        }
    }

    public void Dispose() => Current.Value = null;

    private static ActivityListener StartListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Current.Value is not { } evidence)
                {
                    return;
                }

                var events = activity.Events.Select(e => e.Name + " " + string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}")));
                evidence.Traces.Enqueue($"{activity.Source.Name} {activity.DisplayName} {activity.StatusDescription} " +
                    string.Join(",", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " + string.Join(";", events));
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
