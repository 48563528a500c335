using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Persistence.Users;

/// <summary>
/// The operator console's users, roles and their district limits (ASP.NET Core Identity's tables), kept in SessionDb beside
/// the orchestration tables but in a context of its own with its own migrations history, so the sync model and the
/// sign-in model change independently.
/// </summary>
public class ConsoleUsersDbContext(DbContextOptions<ConsoleUsersDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    /// <summary>The migrations history table of this context (SessionDbContext keeps EF Core's default one).</summary>
    public const string MigrationsHistoryTable = "__ConsoleUsersMigrationsHistory";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreDateTimesAsUtc();
}
