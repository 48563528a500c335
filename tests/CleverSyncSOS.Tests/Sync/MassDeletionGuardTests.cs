using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Applying;

namespace CleverSyncSOS.Tests.Sync;

public sealed class MassDeletionGuardTests
{
    private static readonly SyncOptions Options = new() { MassDeletionThresholdPercent = 30, MassDeletionMinimumRecords = 10 };

    [Theory]
    [InlineData(31, 100, true)]   // more than 30 %
    [InlineData(30, 100, false)]  // exactly the threshold is allowed
    [InlineData(9, 12, false)]    // a small class losing most of itself is under the minimum
    [InlineData(10, 12, true)]
    [InlineData(0, 0, false)]
    public void Holds_removals_above_the_share_and_at_least_the_minimum(long missing, long total, bool holds)
    {
        Assert.Equal(holds, MassDeletionGuard.Holds(missing, total, Options));
    }

    [Theory]
    [InlineData(4, 4, true)]    // a small table emptied: held, although under the minimum
    [InlineData(3, 4, false)]
    [InlineData(0, 0, false)]
    public void A_removal_that_empties_the_table_is_recognised_whatever_its_size(long missing, long total, bool empties)
    {
        Assert.Equal(empties, MassDeletionGuard.Empties(missing, total));
    }
}
