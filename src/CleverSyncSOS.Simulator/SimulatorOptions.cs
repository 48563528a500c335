namespace CleverSyncSOS.Simulator;

/// <summary>Shape of the generated roster and the behaviour knobs of a <see cref="CleverSimulator"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Seed for all generated data: the same seed yields the same ids, names and credentials.</summary>
    public int Seed { get; set; } = 42;
    public int Districts { get; set; } = 1;
    public int SchoolsPerDistrict { get; set; } = 3;
    public int StudentsPerSchool { get; set; } = 300;
    public int TeachersPerSchool { get; set; } = 30;

    /// <summary>Sections per school; null gives one per teacher.</summary>
    public int? SectionsPerSchool { get; set; }

    /// <summary>Sections each student is enrolled in (at most the school's sections).</summary>
    public int SectionsPerStudent { get; set; } = 4;

    /// <summary>null = tokens never expire (real Clever); set = tokens carry "expires_in" and expire.</summary>
    public int? TokenLifetimeSeconds { get; set; }

    /// <summary>Off = no events are recorded (Clever's events are opt-in per district).</summary>
    public bool EventsEnabled { get; set; } = true;

    /// <summary>
    /// Record a users.created event for every generated user, as Clever does when a district shares its roster
    /// with the app. Off by default (the log starts empty); the demo turns it on.
    /// </summary>
    public bool InitialEvents { get; set; }

    /// <summary>Requests per bearer token per fixed window (Clever: 1200 a minute).</summary>
    public int RateLimitPerMinute { get; set; } = 1200;

    /// <summary>Length of the rate-limit window; Clever's is 60 s. Tests shorten it to exercise 429 storms quickly.</summary>
    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>Added to every data-API response (for benchmarks).</summary>
    public int LatencyMilliseconds { get; set; }

    /// <summary>A <c>limit</c> above this is answered with 413.</summary>
    public int MaxPageSize { get; set; } = 10000;

    internal void Validate()
    {
        if (Districts < 1) throw new ArgumentOutOfRangeException(nameof(Districts), "At least one district is required.");
        if (SchoolsPerDistrict < 1) throw new ArgumentOutOfRangeException(nameof(SchoolsPerDistrict), "At least one school per district is required.");
        if (StudentsPerSchool < 0) throw new ArgumentOutOfRangeException(nameof(StudentsPerSchool));
        if (TeachersPerSchool < 0) throw new ArgumentOutOfRangeException(nameof(TeachersPerSchool));
        if (TokenLifetimeSeconds is <= 0) throw new ArgumentOutOfRangeException(nameof(TokenLifetimeSeconds), "Use null for tokens that never expire.");
        if (RateLimitPerMinute < 1) throw new ArgumentOutOfRangeException(nameof(RateLimitPerMinute));
        if (RateLimitWindowSeconds < 1) throw new ArgumentOutOfRangeException(nameof(RateLimitWindowSeconds));
        if (LatencyMilliseconds < 0) throw new ArgumentOutOfRangeException(nameof(LatencyMilliseconds));
        if (MaxPageSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxPageSize));
    }
}
