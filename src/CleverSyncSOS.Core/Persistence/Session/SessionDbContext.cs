using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Persistence.Session;

/// <summary>The orchestration database: districts, schools and the sync history.</summary>
public class SessionDbContext(DbContextOptions<SessionDbContext> options) : DbContext(options)
{
    public DbSet<District> Districts => Set<District>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<SyncHistory> SyncHistory => Set<SyncHistory>();
    public DbSet<SyncFailedRecord> SyncFailedRecords => Set<SyncFailedRecord>();
    public DbSet<ServiceInstance> ServiceInstances => Set<ServiceInstance>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<SyncRunSchool> SyncRunSchools => Set<SyncRunSchool>();
    public DbSet<DistrictPauseWindow> DistrictPauseWindows => Set<DistrictPauseWindow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreDateTimesAsUtc();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<District>(entity =>
        {
            entity.HasKey(e => e.DistrictId);
            entity.HasIndex(e => e.CleverDistrictId).IsUnique();
            entity.Property(e => e.CleverDistrictId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.Name).IsRequired().HasMaxLength(200);
            entity.Property(e => e.KeyVaultSecretPrefix).HasMaxLength(100);
            entity.Property(e => e.IsActive).HasDefaultValue(true);
        });

        modelBuilder.Entity<School>(entity =>
        {
            entity.HasKey(e => e.SchoolId);
            entity.HasIndex(e => e.CleverSchoolId).IsUnique();
            entity.Property(e => e.CleverSchoolId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.DistrictId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.Name).IsRequired().HasMaxLength(200);
            entity.Property(e => e.DatabaseName).HasMaxLength(100);
            entity.Property(e => e.KeyVaultConnectionStringSecretName).HasMaxLength(200);
            entity.Property(e => e.IsActive).HasDefaultValue(true);
            entity.Property(e => e.RequiresFullSync).HasDefaultValue(false);

            entity.HasOne<District>()
                .WithMany()
                .HasForeignKey(e => e.DistrictId)
                .HasPrincipalKey(d => d.CleverDistrictId)
                .OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<SyncHistory>(entity =>
        {
            entity.ToTable("SyncHistory");
            entity.HasKey(e => e.SyncId);
            entity.Property(e => e.EntityType).IsRequired().HasMaxLength(50);
            entity.Property(e => e.SyncType).IsRequired().HasDefaultValue(SyncType.Incremental);
            entity.Property(e => e.Status).IsRequired().HasMaxLength(20);
            entity.Property(e => e.RecordsProcessed).HasDefaultValue(0);
            entity.Property(e => e.RecordsFailed).HasDefaultValue(0);
            entity.Property(e => e.LastEventId).HasMaxLength(50);

            entity.HasOne<School>()
                .WithMany()
                .HasForeignKey(e => e.SchoolId)
                .OnDelete(DeleteBehavior.Restrict);

            entity.HasIndex(e => new { e.SchoolId, e.EntityType, e.SyncEndTime });
            entity.Property(e => e.InstanceId).HasMaxLength(100);
            entity.HasIndex(e => e.RunId);
            entity.Property(e => e.DeletionsHeld).HasDefaultValue(false);
        });

        modelBuilder.Entity<SyncFailedRecord>(entity =>
        {
            entity.HasKey(e => e.Id);
            entity.Property(e => e.CleverId).IsRequired().HasMaxLength(Sync.FailedRecord.MaxIdLength);
            entity.Property(e => e.Reason).IsRequired().HasMaxLength(Sync.FailedRecord.MaxReasonLength);
            entity.HasOne<SyncHistory>().WithMany().HasForeignKey(e => e.SyncId).OnDelete(DeleteBehavior.Cascade);
            entity.HasIndex(e => e.SyncId);
        });

        OnRunsCreating(modelBuilder);
    }

    /// <summary>Runs, their schools' claims, the processes that own them and district pause windows (issue 9).</summary>
    private static void OnRunsCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ServiceInstance>(entity =>
        {
            entity.HasKey(e => e.InstanceId);
            entity.Property(e => e.InstanceId).HasMaxLength(100);
            entity.Property(e => e.Kind).IsRequired().HasMaxLength(20);
            entity.Property(e => e.HostName).IsRequired().HasMaxLength(200);
        });

        modelBuilder.Entity<SyncRun>(entity =>
        {
            entity.HasKey(e => e.RunId);
            entity.Property(e => e.Trigger).IsRequired().HasMaxLength(20);
            entity.Property(e => e.School).HasMaxLength(50);
            entity.Property(e => e.District).HasMaxLength(50);
            entity.Property(e => e.RequestedBy).HasMaxLength(200);
            entity.HasIndex(e => e.RequestedAt);
        });

        modelBuilder.Entity<SyncRunSchool>(entity =>
        {
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Status).IsRequired().HasMaxLength(20);
            entity.Property(e => e.Reason).HasMaxLength(1000);
            entity.Property(e => e.InstanceId).HasMaxLength(100);
            entity.HasOne<SyncRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
            entity.HasOne<School>().WithMany().HasForeignKey(e => e.SchoolId).OnDelete(DeleteBehavior.Restrict);
            entity.HasIndex(e => e.RunId);

            // The claim: at most one Queued or Running row per school, whichever process inserts it first.
            entity.HasIndex(e => e.SchoolId).IsUnique().HasFilter("\"Status\" IN ('Queued', 'Running')").HasDatabaseName("IX_SyncRunSchools_ActiveClaim");
        });

        modelBuilder.Entity<DistrictPauseWindow>(entity =>
        {
            entity.HasKey(e => e.Id);
            entity.Property(e => e.CleverDistrictId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.Reason).HasMaxLength(500);
            entity.HasOne<District>().WithMany().HasForeignKey(e => e.CleverDistrictId).HasPrincipalKey(d => d.CleverDistrictId)
                .OnDelete(DeleteBehavior.Cascade);
            entity.HasIndex(e => new { e.CleverDistrictId, e.EndsAt });
        });
    }
}
