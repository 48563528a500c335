using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CleverSyncSOS.Sync.Entities;

/// <summary>
/// One synced table, declared once: the Clever source its records come from, its table and columns (which
/// give the bulk writer's SQL and the validation), and its deletion rule. The pipeline (plan, read, apply,
/// record) is the same for every entity; adding one is a new declaration in <see cref="SyncEntities"/>.
/// </summary>
public abstract class SyncEntity
{
    /// <summary>The name in SyncHistory and results ("Student", "Section").</summary>
    public required string EntityType { get; init; }

    public required CleverSource Source { get; init; }

    /// <summary>What an operator reads in messages ("students", "section enrollments of students").</summary>
    public string Plural { get => field ?? EntityType.ToLowerInvariant() + "s"; init; }

    public DeletionRule Deletion { get; init; } = DeletionRule.WholeTable;

    /// <summary>The entity whose records the groups of a <see cref="DeletionRule.PerGroup"/> table belong to.</summary>
    public SyncEntity? Parent { get; init; }

    public abstract RosterTableMap Map(IModel model);

    /// <summary>The rows one Clever record gives this table (one for a student, one per student for a section's enrollments).</summary>
    public abstract IReadOnlyList<object?[]> RowsOf(object record);

    public override string ToString() => EntityType;
}

/// <summary>An entity whose rows are items of a Clever record (the record itself, or e.g. a section's student ids).</summary>
public sealed class SyncEntity<TRecord, TItem> : SyncEntity where TRecord : class
{
    /// <summary>The EF Core entity type of the table.</summary>
    public required Type Table { get; init; }

    public required Func<TRecord, IEnumerable<TItem>> Items { get; init; }

    /// <summary>The Clever key column (unique in the table).</summary>
    public required EntityColumn<TItem> Key { get; init; }

    /// <summary>The data columns; a row is the key then these, in this order.</summary>
    public required IReadOnlyList<EntityColumn<TItem>> Columns { get; init; }

    /// <summary>For <see cref="DeletionRule.PerGroup"/>: the data column holding the parent record's id.</summary>
    public string? GroupProperty { get; init; }

    public override RosterTableMap Map(IModel model) => RosterTableMap.For(model, Table, Key.Property, GroupProperty, Columns.Select(c => c.Property).ToArray());

    public override IReadOnlyList<object?[]> RowsOf(object record)
    {
        var rows = new List<object?[]>(1);
        foreach (var item in Items((TRecord)record))
        {
            var row = new object?[Columns.Count + 1];
            row[0] = Key.Value(item);
            for (var i = 0; i < Columns.Count; i++)
            {
                row[i + 1] = Columns[i].Value(item);
            }

            rows.Add(row);
        }

        return rows;
    }
}
