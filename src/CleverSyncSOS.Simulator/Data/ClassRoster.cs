using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>
/// The district's classes: terms and courses per district, sections per school with their students and teachers.
/// Generated from the user roster the first time classes are asked for (so user-only tests and benchmarks pay
/// nothing), deterministically: the same options give the same classes. Not thread-safe: used under the store lock.
/// </summary>
internal sealed class ClassRoster
{
    private static readonly (string Name, string Number, string Subject)[] CourseCatalog =
    [
        ("Algebra I", "MATH-101", "math"), ("English Language Arts", "ELA-100", "english/language arts"),
        ("Biology", "SCI-110", "science"), ("World History", "SS-120", "social studies"),
        ("Spanish I", "LANG-130", "language"), ("Homeroom", "HR-000", "homeroom/advisory"),
        ("Physical Education", "PE-140", "PE and health"), ("Art and Music", "ART-150", "arts and music"),
    ];

    public List<TermRecord> Terms { get; } = [];
    public List<CourseRecord> Courses { get; } = [];
    public List<SectionRecord> Sections { get; } = [];

    private long _sectionCounter;
    private long _courseCounter;
    private long _termCounter;

    public static ClassRoster Generate(SimulatorOptions options, ObjectIds ids, IReadOnlyList<DistrictState> districts,
        Func<SchoolState, string, IReadOnlyList<string>> members, string now)
    {
        var roster = new ClassRoster();
        foreach (var district in districts)
        {
            roster.Terms.Add(roster.NewTerm(ids, district.Index, "Fall 2026", "2026-08-20", "2026-12-18"));
            // Recorded Clever data carries dates in more than one format.
            roster.Terms.Add(roster.NewTerm(ids, district.Index, "Spring 2027", "1/5/2027", "2027-06-10"));
            foreach (var (name, number, subject) in CourseCatalog)
            {
                roster.Courses.Add(new CourseRecord { Counter = ++roster._courseCounter, Id = ids.Format(IdKind.Course, roster._courseCounter), DistrictIndex = district.Index, Name = name, Number = number, Subject = subject });
            }
        }

        foreach (var school in districts.SelectMany(d => d.Schools))
        {
            var teachers = members(school, "teacher");
            var students = members(school, "student");
            var count = options.SectionsPerSchool ?? teachers.Count;
            var courses = roster.Courses.Where(c => c.DistrictIndex == school.DistrictIndex).ToList();
            var terms = roster.Terms.Where(t => t.DistrictIndex == school.DistrictIndex).ToList();
            var first = roster.Sections.Count;
            for (var i = 0; i < count; i++)
            {
                var course = courses[i % courses.Count];
                var section = roster.NewSection(ids, school, course, terms[i % 4 == 3 ? 1 : 0].Id, i, now);
                if (teachers.Count > 0)
                {
                    section.Teacher = teachers[i % teachers.Count];
                    section.Teachers.Add(section.Teacher);
                    if (i % 5 == 4 && teachers.Count > 1) section.Teachers.Add(teachers[(i + 1) % teachers.Count]); // co-taught
                }

                roster.Sections.Add(section);
            }

            // Each student sits in SectionsPerStudent sections spread across the school's sections.
            var perStudent = Math.Min(options.SectionsPerStudent, count);
            var stride = perStudent == 0 ? 1 : Math.Max(1, count / perStudent);
            for (var j = 0; j < students.Count && count > 0; j++)
            {
                for (var k = 0; k < perStudent; k++)
                {
                    var section = roster.Sections[first + (j + k * stride) % count];
                    if (!section.Students.Contains(students[j])) section.Students.Add(students[j]);
                }
            }
        }

        return roster;
    }

    public SectionRecord NewSection(ObjectIds ids, SchoolState school, CourseRecord course, string termId, int index, string now)
    {
        var counter = ++_sectionCounter;
        return new SectionRecord
        {
            Counter = counter,
            Id = ids.Format(IdKind.Section, counter),
            DistrictIndex = school.DistrictIndex,
            SchoolId = school.Id,
            CourseId = course.Id,
            TermId = termId,
            Name = $"{course.Name} - Period {index % 8 + 1}",
            Period = index % 9 == 8 ? "" : (index % 8 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), // "" as Clever sends absent values
            Subject = course.Subject,
            Grade = Grades.Names[school.LowGrade + index % (school.HighGrade - school.LowGrade + 1)],
            SectionNumber = (index + 1).ToString("000", System.Globalization.CultureInfo.InvariantCulture),
            SisId = $"SEC-{school.Counter}-{index + 1}",
            Created = now,
            LastModified = now,
        };
    }

    private TermRecord NewTerm(ObjectIds ids, int districtIndex, string name, string start, string end)
    {
        var counter = ++_termCounter;
        return new TermRecord { Counter = counter, Id = ids.Format(IdKind.Term, counter), DistrictIndex = districtIndex, Name = name, StartDate = start, EndDate = end };
    }
}
