namespace CleverSyncSOS.Sync.Entities;

/// <summary>
/// One column of a synced table and where its value comes from: the EF Core property (whose column name,
/// length and required flag the model gives) and the value taken from the Clever item. An entity's columns are
/// listed once, in one place, and the row layout, the SQL and the validation all follow that list.
/// </summary>
public sealed record EntityColumn<TItem>(string Property, Func<TItem, object?> Value);
