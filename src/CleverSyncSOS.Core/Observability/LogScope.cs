using System.Collections;

namespace CleverSyncSOS.Observability;

/// <summary>
/// A log scope that reads as <c>district=… school=… run=…</c> on the console (whose formatter prints a scope's
/// ToString) and gives structured logging (OpenTelemetry, JSON) each value under its own property name.
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly (string Label, string Property, object? Value)[] _values;

    private LogScope(params (string Label, string Property, object? Value)[] values) => _values = values;

    /// <summary>The school a job works on; the surrogate key is a property only.</summary>
    public static LogScope ForSchool(string cleverDistrictId, string cleverSchoolId, int schoolId) =>
        new(("district", "CleverDistrictId", cleverDistrictId), ("school", "CleverSchoolId", cleverSchoolId), ("", "SchoolId", schoolId));

    /// <summary>The SyncHistory rows of one run (one per entity type).</summary>
    public static LogScope ForRun(IEnumerable<int> syncIds) => new(("run", "SyncId", string.Join(",", syncIds)));

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => new(_values[index].Property, _values[index].Value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.Select(v => new KeyValuePair<string, object?>(v.Property, v.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" ", _values.Where(v => v.Label.Length > 0).Select(v => $"{v.Label}={v.Value}"));
}
