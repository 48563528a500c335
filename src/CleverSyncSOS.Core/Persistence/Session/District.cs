namespace CleverSyncSOS.Persistence.Session;

/// <summary>A school district with Clever API credentials (seed entity 5).</summary>
public class District
{
    public int DistrictId { get; set; }
    public required string CleverDistrictId { get; set; }
    public required string Name { get; set; }

    /// <summary>Prefix of the district's secrets in the secret store, e.g. "District-ABC".</summary>
    public string? KeyVaultSecretPrefix { get; set; }

    /// <summary>Whether the district's schools are synced. Not in the seed; lets an operator pause a district.</summary>
    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
