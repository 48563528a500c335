using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Sync;

/// <summary>Log messages shared by the steps of the sync.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Skipped {EntityType} {CleverId}: {Problem}")]
    public static partial void InvalidRecord(ILogger logger, string entityType, string cleverId, string problem);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Skipped a record of {Source} that is not what was asked for: {CleverId} {Reason}")]
    public static partial void RecordOutOfScope(ILogger logger, string source, string cleverId, string reason);
}
