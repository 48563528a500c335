namespace CleverSyncSOS.Simulator.Generation;

/// <summary>The grade values generated users carry (a subset of Clever's grade enum).</summary>
internal static class Grades
{
    public static readonly string[] Names =
        ["Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];
}
