using Npgsql;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>The PostgreSQL server the bench may use, and clean-up of the databases a run created.</summary>
public static class PostgresDatabases
{
    /// <summary>The variable the tests read too; locally e.g. Host=127.0.0.1;Port=5432;Username=cleversync;Password=localdev.</summary>
    public const string Variable = "CLEVERSYNC_TEST_POSTGRES";

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Null when the server answers, else why not.</summary>
    public static async Task<string?> ProbeAsync(string server, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Maintenance(server));
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or ArgumentException)
        {
            return ex.Message;
        }
    }

    /// <summary>Drops every database whose name starts with <paramref name="prefix"/>; the prefixes are unique per run.</summary>
    public static async Task DropAsync(string server, string prefix, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Maintenance(server));
        await connection.OpenAsync(cancellationToken);
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, @p)", connection))
        {
            list.Parameters.AddWithValue("p", prefix);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await drop.ExecuteNonQueryAsync(cancellationToken);
                    break;
                }
                catch (PostgresException ex) when (attempt < 20 && ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
                {
                    // An autovacuum worker on the freshly written database: a role that is not superuser may not end
                    // it (FORCE), so wait for it to finish.
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                }
            }
        }
    }

    internal static string Maintenance(string server) =>
        new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false, Timeout = 5 }.ToString();
}
