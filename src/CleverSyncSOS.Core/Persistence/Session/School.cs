namespace CleverSyncSOS.Persistence.Session;

/// <summary>A school within a district, with a reference to its dedicated database (seed entity 6).</summary>
public class School
{
    public int SchoolId { get; set; }

    /// <summary>Clever district id; references <see cref="District.CleverDistrictId"/>.</summary>
    public required string DistrictId { get; set; }

    public required string CleverSchoolId { get; set; }
    public required string Name { get; set; }
    public string? DatabaseName { get; set; }
    public string? KeyVaultConnectionStringSecretName { get; set; }
    public bool IsActive { get; set; } = true;
    public bool RequiresFullSync { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
