namespace CleverSyncSOS.Persistence.Session;

/// <summary>A period (summer, term rollover) in which a district's scheduled syncs are skipped; the first sync after it is full.</summary>
public class DistrictPauseWindow
{
    public int Id { get; set; }
    public required string CleverDistrictId { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public string? Reason { get; set; }
    public DateTime CreatedAt { get; set; }
}
