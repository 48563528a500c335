using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Sync;

/// <summary>Log messages shared by the full read and the event update.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Skipped {EntityType} {CleverId}: {Problem}")]
    public static partial void InvalidRecord(ILogger logger, string entityType, string cleverId, string problem);
}
