using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator.Auth;
using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator;

/// <summary>
/// The simulator's data: generated districts, schools and users, the event log and the issued tokens,
/// plus the mutations tests and the demo use to change them. Every member is thread-safe (one lock;
/// pages are snapshotted under it and serialized outside it).
/// </summary>
public sealed partial class SimulatorStore
{
    private readonly Lock _gate = new();
    private readonly UserIndex _users = new();
    private readonly EventLog _events;
    private readonly MonotonicClock _clock;
    private readonly List<DistrictState> _districts;
    private readonly List<SchoolState> _schools;
    private readonly Dictionary<string, DistrictState> _districtsById;
    private readonly Dictionary<string, SchoolState> _schoolsById;
    private long _userCounter;
    private volatile bool _eventsEnabled;
    private IReadOnlyList<SimulatedDistrict> _districtSnapshot = [];

    public SimulatorStore(SimulatorOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal SimulatorStore(SimulatorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var seedHash = StableMix.Hash((ulong)(uint)options.Seed);
        Ids = new ObjectIds(options.Seed);
        _clock = new MonotonicClock(time);
        _events = new EventLog(Ids);
        _eventsEnabled = options.EventsEnabled;
        Tokens = new TokenRegistry(Ids, time, options.TokenLifetimeSeconds);
        _classOptions = options;

        (_districts, _schools) = RosterGenerator.CreateOrganizations(options, Ids, seedHash);
        _districtsById = _districts.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _schoolsById = _schools.ToDictionary(s => s.Id, StringComparer.Ordinal);
        Writer = new GeneratedUserWriter(new RosterContext(Ids, seedHash, new NamePool(seedHash), _districts, _schools) { Messy = options.MessyData });

        // The initial roster is laid out compactly and creates no events (the event log starts empty).
        foreach (var school in _schools)
        {
            for (var t = 0; t < options.TeachersPerSchool; t++)
            {
                var counter = ++_userCounter;
                _users.Append(new UserRecord(counter, school.DistrictIndex, RosterGenerator.Person(PersonKind.Teacher, school, _districts[school.DistrictIndex].Schools, seedHash, counter, options.MessyData)));
            }
            for (var s = 0; s < options.StudentsPerSchool; s++)
            {
                var counter = ++_userCounter;
                _users.Append(new UserRecord(counter, school.DistrictIndex, RosterGenerator.Person(PersonKind.Student, school, _districts[school.DistrictIndex].Schools, seedHash, counter, options.MessyData)));
            }
        }
        if (options.InitialEvents)
        {
            // As when a district first shares its roster with an app: one users.created per user.
            foreach (var user in _users.Records)
            {
                RecordEvent("users.created", user, UserBytes(user), null, []);
            }
        }

        RefreshDistrictSnapshot();
    }

    /// <summary>Districts with their schools and current app credentials.</summary>
    public IReadOnlyList<SimulatedDistrict> Districts => Volatile.Read(ref _districtSnapshot);

    /// <summary>Whether mutations record events (Clever's per-district opt-in); can be flipped at run time.</summary>
    public bool EventsEnabled
    {
        get => _eventsEnabled;
        set => _eventsEnabled = value;
    }

    /// <summary>Users currently stored, across districts.</summary>
    public int UserCount
    {
        get
        {
            lock (_gate) return _users.LiveCount;
        }
    }

    /// <summary>Events currently retained, across districts.</summary>
    public int EventCount
    {
        get
        {
            lock (_gate) return _events.Events.Count;
        }
    }

    /// <summary>Id of the newest retained event, or null when there is none.</summary>
    public string? NewestEventId
    {
        get
        {
            lock (_gate) return _events.Events.Count == 0 ? null : _events.Events[^1].Id;
        }
    }

    internal SimulatorOptions Options { get; }
    internal ObjectIds Ids { get; }
    internal TokenRegistry Tokens { get; }
    internal GeneratedUserWriter Writer { get; }
    internal IReadOnlyList<DistrictState> DistrictStates => _districts;

    /// <summary>A copy of the user as served, or null when there is no such user.</summary>
    public JsonObject? GetUser(string id)
    {
        lock (_gate)
        {
            var user = FindLocked(id);
            if (user is null) return null;
            return user.Json is null ? Materialized(user) : user.Json.DeepClone().AsObject();
        }
    }

    /// <summary>Ids of the users attached to a school (optionally through one role), ascending.</summary>
    public IReadOnlyList<string> GetUserIds(string schoolId, string? role = null)
    {
        var school = RequireSchool(schoolId);
        lock (_gate)
        {
            return _users.Records.Where(u => !u.Removed && u.InSchool(school, role)).Select(u => Ids.Format(IdKind.User, u.Counter)).ToList();
        }
    }

    /// <summary>Invalidates every token issued for the district: data calls get 401, the next token request mints a new one.</summary>
    public void RevokeTokens(string districtId) => Tokens.Revoke(RequireDistrict(districtId).Index);

    /// <summary>
    /// Replaces the district app's client secret (the old one stops working) and returns the new one. With
    /// <see cref="SimulatorOptions.OneApplication"/> the secret is the application's, so every district's changes.
    /// </summary>
    public string RotateCredentials(string districtId)
    {
        var district = RequireDistrict(districtId);
        lock (_gate)
        {
            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
            foreach (var sharing in Options.OneApplication ? _districts : [district])
            {
                sharing.ClientSecret = secret;
            }

            RefreshDistrictSnapshot();
            return secret;
        }
    }

    /// <summary>Drops every retained event, so any cursor a client holds is now out of retention (404).</summary>
    public void ExpireEvents()
    {
        lock (_gate) _events.Expire();
    }

    /// <summary>The districts a client id/secret pair is connected to; empty when it is unknown (constant-time secret check).</summary>
    internal IReadOnlyList<int> DistrictsForCredentials(string clientId, string clientSecret)
    {
        var connected = new List<int>();
        foreach (var district in _districts)
        {
            if (district.ClientId != clientId) continue;
            string expected;
            lock (_gate) expected = district.ClientSecret;
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(clientSecret))) connected.Add(district.Index);
        }
        return connected;
    }

    internal DistrictState? FindDistrict(string id) => _districtsById.GetValueOrDefault(id);

    internal SchoolState? FindSchool(string id) => _schoolsById.GetValueOrDefault(id);

    private DistrictState RequireDistrict(string districtId) =>
        FindDistrict(districtId) ?? throw new KeyNotFoundException($"No district '{districtId}'.");

    private SchoolState RequireSchool(string schoolId) =>
        FindSchool(schoolId) ?? throw new KeyNotFoundException($"No school '{schoolId}'.");

    private UserRecord? FindLocked(string id) =>
        Ids.TryParse(IdKind.User, id) is long counter ? _users.Find(counter) : null;

    private void RefreshDistrictSnapshot()
    {
        Volatile.Write(ref _districtSnapshot, _districts
            .Select(d => new SimulatedDistrict(d.Id, d.Name, d.ClientId, d.ClientSecret, d.Schools.Select(s => new SimulatedSchool(s.Id, d.Id, s.Name)).ToList()))
            .ToList());
    }
}
