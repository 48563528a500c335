using System.Globalization;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator;

// A seeded batch of realistic SIS churn for the demo: new students (some teachers), edits
// (surname, grade/title, email, a move to another school) and removals, applied atomically.
public sealed partial class SimulatorStore
{
    /// <summary>
    /// Applies <paramref name="adds"/> additions, then <paramref name="edits"/> edits and <paramref name="removes"/>
    /// removals of distinct pre-existing users of the school, all chosen by <paramref name="seed"/>. Each change
    /// records its event. Edits and removals are capped by the number of users the school has.
    /// </summary>
    public RandomChangeResult ApplyRandomChanges(string schoolId, int adds, int edits, int removes, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(adds);
        ArgumentOutOfRangeException.ThrowIfNegative(edits);
        ArgumentOutOfRangeException.ThrowIfNegative(removes);
        var school = RequireSchool(schoolId);
        var random = new Random(seed);
        var changes = new List<RandomChange>();

        lock (_gate)
        {
            var existing = _users.Records.Where(u => !u.Removed && u.InSchool(school, null)).ToList();
            for (var i = 0; i < adds; i++)
            {
                var kind = random.Next(10) == 0 ? PersonKind.Teacher : PersonKind.Student;
                changes.Add(new RandomChange(AddGenerated(school, kind), kind == PersonKind.Teacher ? "teacher" : "student", RandomChangeKind.Added));
            }

            var picks = PickDistinct(existing.Count, edits + removes, random).ToList();
            var editCount = Math.Min(edits, picks.Count);
            foreach (var index in picks.Take(editCount))
            {
                var user = existing[index];
                var json = user.Json ?? Materialize(user);
                var edit = RandomEdit(json, school, random);
                UpdateLocked(user, edit);
                var moved = edit["roles"] is JsonObject roles && roles.Any(r => r.Value is JsonObject role && role.ContainsKey("school"));
                changes.Add(new RandomChange(Ids.Format(IdKind.User, user.Counter), RoleOf(json), moved ? RandomChangeKind.MovedAway : RandomChangeKind.Updated));
            }
            foreach (var index in picks.Skip(editCount))
            {
                var user = existing[index];
                var role = RoleOf(user.Json ?? Materialized(user));
                RemoveLocked(user, withEvent: true);
                changes.Add(new RandomChange(Ids.Format(IdKind.User, user.Counter), role, RandomChangeKind.Removed));
            }
        }
        return new RandomChangeResult(changes);
    }

    private static string RoleOf(JsonObject user) => user["roles"]?["student"] is JsonObject ? "student" : "teacher";

    private JsonObject RandomEdit(JsonObject user, SchoolState school, Random random)
    {
        var isStudent = user["roles"]?["student"] is JsonObject;
        var roleKey = isStudent ? "student" : "teacher";
        var siblings = _districts[school.DistrictIndex].Schools.Where(s => s != school).ToList();
        var scratch = new DeterministicRandom((ulong)random.NextInt64(), 0);

        switch (random.Next(siblings.Count > 0 ? 4 : 3))
        {
            case 0: // a surname change
                return new JsonObject { ["name"] = new JsonObject { ["last"] = Writer.Roster.Names.LastName(ref scratch) } };
            case 1: // grade change for students, new title for teachers
                var roleChange = isStudent
                    ? new JsonObject { ["grade"] = Grades.Names[school.LowGrade + random.Next(school.HighGrade - school.LowGrade + 1)] }
                    : new JsonObject { ["title"] = GeneratedUserWriter.TeacherTitles[random.Next(GeneratedUserWriter.TeacherTitles.Length)] };
                return new JsonObject { ["roles"] = new JsonObject { [roleKey] = roleChange } };
            case 2: // a new email address
                var email = RoleMembership.AsString(user["email"]);
                var at = email?.IndexOf('@', StringComparison.Ordinal) ?? -1;
                var local = at > 0 ? email![..at] : "user" + random.Next(100000).ToString(CultureInfo.InvariantCulture);
                var domain = at > 0 ? email![(at + 1)..] : _districts[school.DistrictIndex].Domain;
                return new JsonObject { ["email"] = local + random.Next(2, 100).ToString(CultureInfo.InvariantCulture) + "@" + domain };
            default: // moved to another school of the district
                var target = siblings[random.Next(siblings.Count)];
                var move = new JsonObject { ["school"] = target.Id, ["schools"] = new JsonArray(target.Id) };
                if (isStudent)
                {
                    move["enrollments"] = new JsonArray(new JsonObject { ["school"] = target.Id, ["start_date"] = Timestamps.Format(_clock.Now().UtcDateTime.Date) });
                }
                var roles = new JsonObject { [roleKey] = move };
                if (user["roles"]?["staff"] is JsonObject) roles["staff"] = new JsonObject { ["schools"] = new JsonArray(target.Id) };
                return new JsonObject { ["roles"] = roles };
        }
    }
}
