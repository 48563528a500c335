using CleverSyncSOS.Persistence.Schools;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// Table and column names of one synced table, read from the EF Core model so the raw SQL of the bulk writer
/// can never drift from the seed's schema or its migrations.
/// </summary>
public sealed class RosterTableMap
{
    private RosterTableMap(IEntityType entity, string keyProperty, string? groupProperty, IReadOnlyList<string> dataProperties)
    {
        Table = entity.GetTableName()!;
        var table = StoreObjectIdentifier.Table(Table, entity.GetSchema());
        string Column(string property) =>
            (entity.FindProperty(property) ?? throw new InvalidOperationException($"{entity.ClrType.Name} has no property {property}.")).GetColumnName(table)!;
        KeyColumn = Column(keyProperty);
        GroupColumn = groupProperty is null ? null : Column(groupProperty);
        DataColumns = dataProperties.Select(Column).ToList();
        IsActiveColumn = Column(nameof(Student.IsActive));
        DeactivatedAtColumn = Column(nameof(Student.DeactivatedAt));
        CreatedAtColumn = Column(nameof(Student.CreatedAt));
        UpdatedAtColumn = Column(nameof(Student.UpdatedAt));
        Properties = [entity.FindProperty(keyProperty)!, .. dataProperties.Select(p => entity.FindProperty(p)!)];
    }

    public string Table { get; }
    public string KeyColumn { get; }

    /// <summary>The column naming a row's parent record (an enrollment's section), when the table is guarded per group.</summary>
    public string? GroupColumn { get; }

    /// <summary>Columns written from Clever's data, in the order of a row's values after the key.</summary>
    public IReadOnlyList<string> DataColumns { get; }

    public string IsActiveColumn { get; }
    public string DeactivatedAtColumn { get; }
    public string CreatedAtColumn { get; }
    public string UpdatedAtColumn { get; }

    /// <summary>Key then data properties, for validation against the model's lengths and required flags.</summary>
    public IReadOnlyList<IProperty> Properties { get; }

    public static RosterTableMap For(IModel model, Type entity, string keyProperty, string? groupProperty, params string[] dataProperties) =>
        new(model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not in the model."),
            keyProperty, groupProperty, dataProperties);
}
