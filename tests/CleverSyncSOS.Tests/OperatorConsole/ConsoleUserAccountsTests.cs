using CleverSyncSOS.Host.OperatorConsole.Users;
using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.OperatorConsole;

public sealed class ConsoleUserAccountsTests
{
    [Fact]
    public async Task A_new_user_is_refused_with_every_reason_named_and_nothing_stored_when_its_role_district_or_password_is_wrong()
    {
        await using var site = await ConsoleSite.StartAsync(students: 10);
        await using var scope = site.Serve.App.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleUserAccounts>();

        var unknown = await accounts.CreateAsync("a@example.org", ConsoleSite.Password, "Superuser", ["no-such-district"], CancellationToken.None);
        Assert.Contains(unknown.Errors, e => e.Contains("Viewer, Operator, Admin", StringComparison.Ordinal));
        Assert.Contains(unknown.Errors, e => e.Contains("'no-such-district'", StringComparison.Ordinal));

        var limitedAdmin = await accounts.CreateAsync("b@example.org", ConsoleSite.Password, "admin", [site.First.Id], CancellationToken.None);
        Assert.Contains(limitedAdmin.Errors, e => e.Contains("cannot be limited", StringComparison.Ordinal));

        var shortPassword = await accounts.CreateAsync("c@example.org", "short", "Viewer", [], CancellationToken.None);
        Assert.False(shortPassword.Succeeded);
        var duplicate = await accounts.CreateAsync(ConsoleSite.Viewer, ConsoleSite.Password, "Viewer", [], CancellationToken.None);
        Assert.Contains(duplicate.Errors, e => e.Contains("exists already", StringComparison.Ordinal));

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.Equal(4, await users.Users.CountAsync()); // the site's four, nothing half-made

        // Stored as Identity keeps them: a hash, never the password; the role and the district limit as a claim.
        var limited = (await users.FindByEmailAsync(ConsoleSite.Limited))!;
        Assert.DoesNotContain(ConsoleSite.Password, limited.PasswordHash, StringComparison.Ordinal);
        Assert.Equal([ConsoleRoles.Operator], await users.GetRolesAsync(limited));
        Assert.Equal([site.Second.Id], (await users.GetClaimsAsync(limited)).Where(c => c.Type == ConsoleRoles.DistrictClaim).Select(c => c.Value));
    }
}
