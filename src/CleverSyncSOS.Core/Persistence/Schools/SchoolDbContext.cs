using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Persistence.Schools;

/// <summary>One school's own database: its students, teachers, sections with their courses, terms and enrollments.</summary>
public class SchoolDbContext(DbContextOptions<SchoolDbContext> options) : DbContext(options)
{
    public DbSet<Student> Students => Set<Student>();
    public DbSet<Teacher> Teachers => Set<Teacher>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<Term> Terms => Set<Term>();
    public DbSet<SectionStudent> SectionStudents => Set<SectionStudent>();
    public DbSet<SectionTeacher> SectionTeachers => Set<SectionTeacher>();
    public DbSet<ChangeLogEntry> ChangeLog => Set<ChangeLogEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreDateTimesAsUtc();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Student>(entity =>
        {
            entity.HasKey(e => e.StudentId);
            entity.HasIndex(e => e.CleverStudentId).IsUnique();
            entity.Property(e => e.CleverStudentId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.FirstName).IsRequired().HasMaxLength(100);
            entity.Property(e => e.LastName).IsRequired().HasMaxLength(100);
            entity.Property(e => e.Email).HasMaxLength(200);
            entity.Property(e => e.Grade).HasMaxLength(20);
            entity.Property(e => e.StudentNumber).HasMaxLength(50);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
            entity.HasIndex(e => e.IsActive);
        });

        modelBuilder.Entity<Teacher>(entity =>
        {
            entity.HasKey(e => e.TeacherId);
            entity.HasIndex(e => e.CleverTeacherId).IsUnique();
            entity.Property(e => e.CleverTeacherId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.FirstName).IsRequired().HasMaxLength(100);
            entity.Property(e => e.LastName).IsRequired().HasMaxLength(100);
            entity.Property(e => e.Email).HasMaxLength(200);
            entity.Property(e => e.Title).HasMaxLength(100);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
            entity.HasIndex(e => e.IsActive);
        });

        modelBuilder.Entity<Section>(entity =>
        {
            entity.HasKey(e => e.SectionId);
            entity.HasIndex(e => e.CleverSectionId).IsUnique();
            entity.Property(e => e.CleverSectionId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.Name).IsRequired().HasMaxLength(200);
            entity.Property(e => e.Period).HasMaxLength(50);
            entity.Property(e => e.Subject).HasMaxLength(100);
            entity.Property(e => e.Grade).HasMaxLength(20);
            entity.Property(e => e.SectionNumber).HasMaxLength(50);
            entity.Property(e => e.SisId).HasMaxLength(100);
            entity.Property(e => e.CleverCourseId).HasMaxLength(50);
            entity.Property(e => e.CleverTermId).HasMaxLength(50);
            entity.Property(e => e.CleverPrimaryTeacherId).HasMaxLength(50);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
        });

        modelBuilder.Entity<Course>(entity =>
        {
            entity.HasKey(e => e.CourseId);
            entity.HasIndex(e => e.CleverCourseId).IsUnique();
            entity.Property(e => e.CleverCourseId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.Name).HasMaxLength(200);
            entity.Property(e => e.Number).HasMaxLength(50);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
        });

        modelBuilder.Entity<Term>(entity =>
        {
            entity.HasKey(e => e.TermId);
            entity.HasIndex(e => e.CleverTermId).IsUnique();
            entity.Property(e => e.CleverTermId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.Name).HasMaxLength(200);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
        });

        modelBuilder.Entity<SectionStudent>(entity =>
        {
            entity.HasKey(e => e.SectionStudentId);
            entity.HasIndex(e => e.EnrollmentKey).IsUnique();
            entity.HasIndex(e => e.CleverSectionId);
            entity.HasIndex(e => e.CleverStudentId);
            entity.Property(e => e.EnrollmentKey).IsRequired().HasMaxLength(104);
            entity.Property(e => e.CleverSectionId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.CleverStudentId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
        });

        modelBuilder.Entity<SectionTeacher>(entity =>
        {
            entity.HasKey(e => e.SectionTeacherId);
            entity.HasIndex(e => e.EnrollmentKey).IsUnique();
            entity.HasIndex(e => e.CleverSectionId);
            entity.HasIndex(e => e.CleverTeacherId);
            entity.Property(e => e.EnrollmentKey).IsRequired().HasMaxLength(104);
            entity.Property(e => e.CleverSectionId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.CleverTeacherId).IsRequired().HasMaxLength(50);
            entity.Property(e => e.IsActive).IsRequired().HasDefaultValue(true);
        });

        modelBuilder.Entity<ChangeLogEntry>(entity =>
        {
            entity.ToTable("ChangeLog");
            entity.HasKey(e => e.ChangeId);
            entity.HasIndex(e => e.SyncId);
            entity.HasIndex(e => e.CleverId);
            entity.HasIndex(e => e.ChangedAt);
            entity.Property(e => e.EntityType).IsRequired().HasMaxLength(50);
            entity.Property(e => e.CleverId).IsRequired().HasMaxLength(104);
            entity.Property(e => e.Action).IsRequired().HasMaxLength(10);
        });
    }
}
