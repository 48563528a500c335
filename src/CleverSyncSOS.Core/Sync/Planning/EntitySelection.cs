using CleverSyncSOS.Authentication;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Planning;

/// <summary>
/// The entities a school's sync covers: those the options ask for, less the classes when the district's token lacks
/// Clever's <c>read:sections</c> scope. A district that has not granted it still gets its students and teachers; its
/// classes are skipped (recorded as such in SyncHistory) and their tables left as they are, never emptied.
/// </summary>
public sealed class EntitySelector(ICleverTokenProvider tokens, IOptions<SyncOptions> options)
{
    public const string SectionsScope = "read:sections";

    public async Task<EntitySelection> SelectAsync(DistrictCredentials credentials, CancellationToken cancellationToken)
    {
        var wanted = SyncEntities.For(options.Value);
        var classes = wanted.Where(e => e != SyncEntities.Student && e != SyncEntities.Teacher).ToList();
        if (classes.Count == 0)
        {
            return new EntitySelection(wanted, [], null);
        }

        IReadOnlyList<string> granted;
        try
        {
            granted = (await tokens.GetTokenAsync(credentials, cancellationToken)).Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (CleverAuthenticationException ex)
        {
            // Kept for the sync to throw where its failures are recorded: asking again would double the requests.
            return new EntitySelection(wanted, [], null) { TokenFailure = ex };
        }

        // A token that lists no scopes at all says nothing either way: the read itself will tell.
        if (granted.Count == 0 || granted.Contains(SectionsScope, StringComparer.Ordinal))
        {
            return new EntitySelection(wanted, [], null);
        }

        return new EntitySelection([.. wanted.Except(classes)], classes,
            $"Classes not synced: district {credentials.CleverDistrictId}'s Clever token lacks the {SectionsScope} scope (ask the district to grant it). " +
            "Students and teachers were synced; the school's class tables were left as they were.");
    }
}

/// <summary>The entities to sync, and those skipped with the reason recorded in their SyncHistory rows.</summary>
public sealed record EntitySelection(IReadOnlyList<SyncEntity> Synced, IReadOnlyList<SyncEntity> Skipped, string? SkipReason)
{
    /// <summary>Why the district's token could not be had to choose (the sync then fails with it).</summary>
    public CleverAuthenticationException? TokenFailure { get; init; }

    public void ThrowIfTokenFailed()
    {
        if (TokenFailure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    public IEnumerable<EntitySyncOutcome> SkippedOutcomes(SyncType syncType) =>
        Skipped.Select(e => new EntitySyncOutcome(e.EntityType, syncType) { SkippedBecause = SkipReason });
}
