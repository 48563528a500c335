using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleverSyncSOS.Host.OperatorConsole.Users;

/// <summary>ASP.NET Core Identity over <see cref="ConsoleUsersDbContext"/>: for <c>serve</c> and for the <c>user</c> commands.</summary>
public static class ConsoleIdentityRegistration
{
    public static IdentityBuilder AddConsoleIdentityStore(this IServiceCollection services)
    {
        // The context's options need SessionDb's connection string, which may come from the secret store (async); it is
        // resolved once and cached by ConsoleUsersDatabase, so only the first context waits for it.
        services.AddScoped(sp => new ConsoleUsersDbContext(sp.GetRequiredService<ConsoleUsersDatabase>().GetOptionsAsync(CancellationToken.None).GetAwaiter().GetResult()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ConsoleUsersDatabase>();
        services.AddScoped<ConsoleUserAccounts>();
        return services.AddIdentityCore<IdentityUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ConsoleUsersDbContext>();
    }
}
