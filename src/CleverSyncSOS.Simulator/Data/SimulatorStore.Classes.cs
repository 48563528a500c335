using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator;

// Sections, courses and terms: queries for the endpoints and the mutations tests and the demo use. Each
// mutation records the sections.*/courses.*/terms.* event Clever would (a roster change is sections.updated
// with the old students[] in previous_attributes).
public sealed partial class SimulatorStore
{
    private readonly SimulatorOptions _classOptions;
    private ClassRoster? _classes;

    /// <summary>Ids of the school's sections, ascending.</summary>
    public IReadOnlyList<string> GetSectionIds(string schoolId)
    {
        var school = RequireSchool(schoolId);
        lock (_gate) return ClassesLocked().Sections.Where(s => !s.Removed && s.SchoolId == school.Id).Select(s => s.Id).ToList();
    }

    /// <summary>The school's sections exactly as served (parsed from the same bytes).</summary>
    public IReadOnlyList<JsonObject> GetSections(string schoolId) => Served(() => SectionsOfLocked(RequireSchool(schoolId)).Select(s => s.ToBytes(DistrictId(s.DistrictIndex))));

    /// <summary>The courses the school's sections use, as served.</summary>
    public IReadOnlyList<JsonObject> GetCourses(string schoolId) => Served(() => CoursesOfLocked(RequireSchool(schoolId)).Select(c => c.ToBytes(DistrictId(c.DistrictIndex))));

    /// <summary>The terms the school's sections use, as served.</summary>
    public IReadOnlyList<JsonObject> GetTerms(string schoolId) => Served(() => TermsOfLocked(RequireSchool(schoolId)).Select(t => t.ToBytes(DistrictId(t.DistrictIndex))));

    /// <summary>Moves a student from one section to another: two sections.updated events. False when not possible.</summary>
    public bool MoveStudentBetweenSections(string studentId, string fromSectionId, string toSectionId)
    {
        lock (_gate)
        {
            if (FindSectionLocked(fromSectionId) is not { } from || FindSectionLocked(toSectionId) is not { } to
                || !from.Students.Contains(studentId) || to.Students.Contains(studentId))
            {
                return false;
            }

            ChangeSectionLocked(from, s => s.Students.Remove(studentId));
            ChangeSectionLocked(to, s => s.Students.Add(studentId));
            return true;
        }
    }

    /// <summary>Keeps only a fraction of a section's students (a bad SIS export); one sections.updated when <paramref name="withEvents"/>.</summary>
    public int KeepOnlyFractionOfSection(string sectionId, double fraction, bool withEvents = false)
    {
        if (double.IsNaN(fraction) || fraction < 0 || fraction > 1) throw new ArgumentOutOfRangeException(nameof(fraction), "Must be between 0 and 1.");
        lock (_gate)
        {
            var section = FindSectionLocked(sectionId) ?? throw new KeyNotFoundException($"No section '{sectionId}'.");
            var keep = (int)Math.Round(section.Students.Count * fraction);
            var removed = section.Students.Count - keep;
            ChangeSectionLocked(section, s => s.Students.RemoveRange(keep, s.Students.Count - keep), withEvents);
            return removed;
        }
    }

    /// <summary>Renames a section (sections.updated).</summary>
    public bool RenameSection(string sectionId, string name)
    {
        lock (_gate)
        {
            if (FindSectionLocked(sectionId) is not { } section) return false;
            ChangeSectionLocked(section, s => s.Name = name);
            return true;
        }
    }

    /// <summary>Creates a section at the school taught by <paramref name="teacherId"/> with the given students (sections.created).</summary>
    public string AddSection(string schoolId, string teacherId, IEnumerable<string> studentIds)
    {
        var school = RequireSchool(schoolId);
        lock (_gate)
        {
            var classes = ClassesLocked();
            var course = classes.Courses.First(c => c.DistrictIndex == school.DistrictIndex);
            var term = classes.Terms.First(t => t.DistrictIndex == school.DistrictIndex);
            var section = classes.NewSection(Ids, school, course, term.Id, classes.Sections.Count, Timestamps.Format(_clock.Now()));
            section.Teacher = teacherId;
            section.Teachers.Add(teacherId);
            section.Students.AddRange(studentIds.Distinct(StringComparer.Ordinal));
            classes.Sections.Add(section);
            RecordClassEvent("sections.created", section.DistrictIndex, section.ToBytes(DistrictId(section.DistrictIndex)), null, [section.SchoolId]);
            return section.Id;
        }
    }

    /// <summary>Removes a section (sections.deleted carrying its last state).</summary>
    public bool RemoveSection(string sectionId)
    {
        lock (_gate)
        {
            if (FindSectionLocked(sectionId) is not { } section) return false;
            section.Removed = true;
            RecordClassEvent("sections.deleted", section.DistrictIndex, section.ToBytes(DistrictId(section.DistrictIndex)), null, [section.SchoolId]);
            return true;
        }
    }

    /// <summary>Renames a course (courses.updated, visible to every school of its district).</summary>
    public bool RenameCourse(string courseId, string name)
    {
        lock (_gate)
        {
            if (ClassesLocked().Courses.FirstOrDefault(c => c.Id == courseId) is not { } course) return false;
            var previous = new JsonObject { ["name"] = course.Name };
            course.Name = name;
            RecordClassEvent("courses.updated", course.DistrictIndex, course.ToBytes(DistrictId(course.DistrictIndex)), previous,
                _districts[course.DistrictIndex].Schools.Select(s => s.Id));
            return true;
        }
    }

    internal IReadOnlyList<SectionRecord> SectionsOfLocked(SchoolState school) =>
        ClassesLocked().Sections.Where(s => !s.Removed && s.SchoolId == school.Id).ToList();

    internal IReadOnlyList<CourseRecord> CoursesOfLocked(SchoolState school)
    {
        var used = SectionsOfLocked(school).Select(s => s.CourseId).ToHashSet(StringComparer.Ordinal);
        return ClassesLocked().Courses.Where(c => used.Contains(c.Id)).ToList();
    }

    internal IReadOnlyList<TermRecord> TermsOfLocked(SchoolState school)
    {
        var used = SectionsOfLocked(school).Select(s => s.TermId).ToHashSet(StringComparer.Ordinal);
        return ClassesLocked().Terms.Where(t => used.Contains(t.Id)).ToList();
    }

    /// <summary>Runs <paramref name="query"/> under the lock; for the endpoints, which serialize outside it.</summary>
    internal T WithClasses<T>(Func<ClassRoster, T> query)
    {
        lock (_gate) return query(ClassesLocked());
    }

    internal string DistrictId(int districtIndex) => _districts[districtIndex].Id;

    private ClassRoster ClassesLocked() => _classes ??= ClassRoster.Generate(_classOptions, Ids, _districts,
        (school, role) => _users.Records.Where(u => !u.Removed && u.InSchool(school, role)).Select(u => Ids.Format(IdKind.User, u.Counter)).ToList(),
        Timestamps.Format(_clock.Now()));

    private SectionRecord? FindSectionLocked(string id) => ClassesLocked().Sections.FirstOrDefault(s => s.Id == id && !s.Removed);

    private void ChangeSectionLocked(SectionRecord section, Action<SectionRecord> change, bool withEvent = true)
    {
        var previous = new JsonObject
        {
            ["name"] = section.Name,
            ["students"] = new JsonArray(section.Students.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        };
        change(section);
        section.LastModified = Timestamps.Format(_clock.Now());
        if (withEvent)
        {
            RecordClassEvent("sections.updated", section.DistrictIndex, section.ToBytes(DistrictId(section.DistrictIndex)), previous, [section.SchoolId]);
        }
    }

    private void RecordClassEvent(string type, int districtIndex, byte[] json, JsonObject? previous, IEnumerable<string> schoolIds)
    {
        if (_eventsEnabled) _events.Append(type, districtIndex, _clock.Now(), json, previous, schoolIds);
    }

    private IReadOnlyList<JsonObject> Served(Func<IEnumerable<byte[]>> items)
    {
        List<byte[]> bytes;
        lock (_gate) bytes = items().ToList();
        return bytes.Select(b => JsonNode.Parse(b)!.AsObject()).ToList();
    }
}
