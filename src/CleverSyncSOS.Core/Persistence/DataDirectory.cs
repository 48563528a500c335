namespace CleverSyncSOS.Persistence;

/// <summary>The folder of the embedded defaults: SQLite files and the local secret store. Bound from <c>CleverSyncSOS:DataDir</c>.</summary>
public sealed class DataDirectory(string path)
{
    public const string ConfigurationKey = "CleverSyncSOS:DataDir";
    public const string Default = "cleversync-data";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string SessionDbFile => System.IO.Path.Combine(Path, "session.db");

    public string SecretsFile => System.IO.Path.Combine(Path, "secrets.json");

    public string SchoolDbFile(string databaseName) => System.IO.Path.Combine(Path, "schools", databaseName + ".db");
}
