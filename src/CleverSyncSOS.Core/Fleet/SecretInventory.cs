using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Fleet;

/// <summary>One secret the fleet uses: its name, what it is for, where it lives and whether it is there. Never its value.</summary>
public sealed record SecretEntry(string Name, string Purpose, string Store, bool Present);

/// <summary>
/// The secrets the configuration and SessionDb name (district credentials, school connection strings, the
/// database servers), each looked up in the configured store. A value is read only to learn whether it is
/// there; it is never returned, kept or printed.
/// </summary>
public sealed class SecretInventory(SessionDatabase sessionDatabase, ISecretStore secrets, IOptions<SecretStoreOptions> secretOptions, DataDirectory dataDirectory)
{
    public string StoreDescription => secretOptions.Value.Provider switch
    {
        SecretStoreProvider.KeyVault => $"Key Vault {secretOptions.Value.VaultUri}",
        _ => $"local file {Path.GetFullPath(secretOptions.Value.LocalPath ?? dataDirectory.SecretsFile)}",
    };

    public async Task<IReadOnlyList<SecretEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var wanted = new List<(string Name, string Purpose)>
        {
            (SecretNames.SessionDbConnectionString, "SessionDb connection string (when not in configuration)"),
            (SecretNames.SchoolDbServerConnectionString, "server of the school databases (PostgreSQL/SQL Server, when not in configuration)"),
        };
        await using (var db = await sessionDatabase.CreateDbContextAsync(cancellationToken))
        {
            foreach (var district in await db.Districts.AsNoTracking().OrderBy(d => d.CleverDistrictId).ToListAsync(cancellationToken))
            {
                var prefix = district.KeyVaultSecretPrefix ?? SecretNames.DefaultDistrictPrefix(district.CleverDistrictId);
                wanted.Add((SecretNames.DistrictClientId(prefix), $"Clever client id of district {district.CleverDistrictId}"));
                wanted.Add((SecretNames.DistrictClientSecret(prefix), $"Clever client secret of district {district.CleverDistrictId}"));
            }

            foreach (var school in await db.Schools.AsNoTracking().Where(s => s.KeyVaultConnectionStringSecretName != null)
                         .OrderBy(s => s.CleverSchoolId).ToListAsync(cancellationToken))
            {
                wanted.Add((school.KeyVaultConnectionStringSecretName!, $"database connection string of school {school.CleverSchoolId}"));
            }
        }

        var entries = new List<SecretEntry>(wanted.Count);
        foreach (var (name, purpose) in wanted.DistinctBy(w => w.Name, StringComparer.Ordinal))
        {
            var present = !string.IsNullOrEmpty(await secrets.GetSecretAsync(name, cancellationToken));
            entries.Add(new SecretEntry(name, purpose, StoreDescription, present));
        }

        return entries;
    }
}
