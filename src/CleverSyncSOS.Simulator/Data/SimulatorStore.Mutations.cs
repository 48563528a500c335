using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator;

// Mutations. Each one records the matching users.* event (when events are enabled) so the event log
// always describes exactly what changed in the data API.
public sealed partial class SimulatorStore
{
    /// <summary>
    /// Stores a user exactly as given (odd or malformed records included) except that <c>id</c> is always
    /// assigned (ascending) and <c>district</c>, <c>created</c>, <c>last_modified</c> are filled in when absent.
    /// The owning district is <c>district</c> if known, else the district of the first role school, else the first.
    /// </summary>
    public string AddUser(JsonObject userOrPartial)
    {
        ArgumentNullException.ThrowIfNull(userOrPartial);
        var input = userOrPartial.DeepClone().AsObject();
        lock (_gate)
        {
            var counter = ++_userCounter;
            var id = Ids.Format(IdKind.User, counter);
            var districtIndex = OwningDistrict(input);
            var now = Timestamps.Format(_clock.Now());

            // Rebuild so id/district lead, as in Clever payloads; everything else keeps its order and content.
            var user = new JsonObject { ["id"] = id };
            if (!input.ContainsKey("district")) user["district"] = _districts[districtIndex].Id;
            foreach (var (key, value) in input.ToList())
            {
                if (key == "id") continue;
                input.Remove(key);
                user[key] = value;
            }
            if (!user.ContainsKey("created")) user["created"] = now;
            if (!user.ContainsKey("last_modified")) user["last_modified"] = now;

            var record = new UserRecord(counter, districtIndex, user);
            _users.Append(record);
            RecordEvent("users.created", record, record.CachedBytes(), null, []);
            return id;
        }
    }

    /// <summary>Adds a realistic generated student to the school and returns its id.</summary>
    public string AddStudent(string schoolId) => AddGenerated(RequireSchool(schoolId), PersonKind.Student);

    /// <summary>Adds a realistic generated teacher to the school and returns its id.</summary>
    public string AddTeacher(string schoolId) => AddGenerated(RequireSchool(schoolId), PersonKind.Teacher);

    /// <summary>
    /// Deep-merges <paramref name="patch"/> into the user (RFC 7396: null removes a key, arrays replace),
    /// bumps <c>last_modified</c> unless the patch sets it, and records users.updated with previous_attributes.
    /// Returns false when there is no such user. A patch that changes nothing records nothing.
    /// </summary>
    public bool UpdateUser(string id, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        lock (_gate)
        {
            var user = FindLocked(id);
            if (user is null) return false;
            UpdateLocked(user, patch.DeepClone().AsObject());
            return true;
        }
    }

    /// <summary>Removes the user and records users.deleted carrying its last full state. False when absent.</summary>
    public bool RemoveUser(string id)
    {
        lock (_gate)
        {
            var user = FindLocked(id);
            if (user is null) return false;
            RemoveLocked(user, withEvent: true);
            return true;
        }
    }

    /// <summary>
    /// Simulates a mass unshare: keeps a seeded-random <paramref name="fraction"/> of the school's users holding
    /// <paramref name="role"/> and removes the rest, with or without users.deleted events. Returns how many were removed.
    /// </summary>
    public int KeepOnlyFraction(string schoolId, string role, double fraction, bool withEvents = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        if (double.IsNaN(fraction) || fraction < 0 || fraction > 1) throw new ArgumentOutOfRangeException(nameof(fraction), "Must be between 0 and 1.");
        var school = RequireSchool(schoolId);
        lock (_gate)
        {
            var members = _users.Records.Where(u => !u.Removed && u.InSchool(school, role)).ToList();
            var removeCount = members.Count - (int)Math.Round(members.Count * fraction);
            var random = new Random((int)(StableMix.Combine(Writer.Roster.SeedHash, (ulong)school.Counter) & int.MaxValue));
            foreach (var index in PickDistinct(members.Count, removeCount, random))
            {
                RemoveLocked(members[index], withEvents);
            }
            return removeCount;
        }
    }

    private string AddGenerated(SchoolState school, PersonKind kind)
    {
        lock (_gate)
        {
            var counter = ++_userCounter;
            var person = RosterGenerator.Person(kind, school, _districts[school.DistrictIndex].Schools, Writer.Roster.SeedHash, counter, Options.MessyData);
            var json = JsonNode.Parse(Writer.ToBytes(counter, person))!.AsObject();
            // A user that appears now was created now, not at roster generation time.
            var now = Timestamps.Format(_clock.Now());
            json["created"] = now;
            json["last_modified"] = now;
            var record = new UserRecord(counter, school.DistrictIndex, json);
            _users.Append(record);
            RecordEvent("users.created", record, record.CachedBytes(), null, []);
            return Ids.Format(IdKind.User, counter);
        }
    }

    private void UpdateLocked(UserRecord user, JsonObject patch)
    {
        patch.Remove("id"); // ids are immutable
        var json = user.Json ?? Materialize(user);
        var previous = JsonMergePatch.Apply(json, patch);
        if (previous.Count == 0) return;
        if (!patch.ContainsKey("last_modified")) json["last_modified"] = Timestamps.Format(_clock.Now());
        user.SetJson(json);
        if (RoleMembership.AsString(json["district"]) is { } districtId && FindDistrict(districtId) is { } district) user.DistrictIndex = district.Index;

        // Whether a move out of a school shows up when that school's events are filtered is not known: by default
        // it does not (the event is listed under the user's schools after the change only), the harsh reading.
        var formerSchools = Options.EventSchoolFilter == EventSchoolFilter.FormerAndCurrentSchools
            ? RoleMembership.From(previous).SelectMany(m => m.Schools)
            : [];
        RecordEvent("users.updated", user, user.CachedBytes(), previous, formerSchools);
    }

    private void RemoveLocked(UserRecord user, bool withEvent)
    {
        if (withEvent) RecordEvent("users.deleted", user, Options.DeletedEventsCarryFullObject ? UserBytes(user) : IdOnly(user), null, []);
        _users.MarkRemoved(user);
    }

    private void RecordEvent(string type, UserRecord user, byte[] objectJson, JsonObject? previous, IEnumerable<string> extraSchools)
    {
        if (!_eventsEnabled) return;
        _events.Append(type, user.DistrictIndex, _clock.Now(), objectJson, previous, user.SchoolIds(_schools).Concat(extraSchools));
    }

    private byte[] IdOnly(UserRecord user) => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{Ids.Format(IdKind.User, user.Counter)}\"}}");

    private byte[] UserBytes(UserRecord user) => user.Json is null ? Writer.ToBytes(user.Counter, user.Generated) : user.CachedBytes();

    /// <summary>Turns a generated user into its stored JSON form (first modification).</summary>
    private JsonObject Materialize(UserRecord user)
    {
        var json = Materialized(user);
        user.SetJson(json);
        return json;
    }

    private JsonObject Materialized(UserRecord user) => JsonNode.Parse(Writer.ToBytes(user.Counter, user.Generated))!.AsObject();

    private int OwningDistrict(JsonObject user)
    {
        if (RoleMembership.AsString(user["district"]) is { } districtId && FindDistrict(districtId) is { } district) return district.Index;
        foreach (var membership in RoleMembership.From(user))
        {
            foreach (var schoolId in membership.Schools)
            {
                if (FindSchool(schoolId) is { } school) return school.DistrictIndex;
            }
        }
        return 0;
    }

    /// <summary>Partial Fisher-Yates: <paramref name="count"/> distinct indexes below <paramref name="population"/>.</summary>
    private static IEnumerable<int> PickDistinct(int population, int count, Random random)
    {
        count = Math.Clamp(count, 0, population);
        var swapped = new Dictionary<int, int>(); // sparse permutation, fine for million-user schools
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, population);
            var atI = swapped.GetValueOrDefault(i, i);
            var atJ = swapped.GetValueOrDefault(j, j);
            swapped[j] = atI;
            swapped[i] = atJ;
            yield return atJ;
        }
    }
}
