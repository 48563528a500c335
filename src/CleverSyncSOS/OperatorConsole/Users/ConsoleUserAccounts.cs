using System.Security.Claims;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Host.OperatorConsole.Users;

/// <summary>A console user as the Users page lists it.</summary>
public sealed record ConsoleUserView(string Id, string Email, string Role, IReadOnlyList<string> Districts, DateTimeOffset? LockedOutUntil);

/// <summary>The outcome of creating a user: the errors to show the operator, none when it worked.</summary>
public sealed record AccountResult(IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Creates, lists and removes console users (the <c>user add</c> command and the Users page both come here). A user has
/// exactly one role and, optionally, the districts it is limited to, stored as Identity user claims.
/// </summary>
public sealed class ConsoleUserAccounts(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, SessionDatabase sessionDatabase, TimeProvider time)
{
    public async Task<AccountResult> CreateAsync(string? email, string? password, string? role, IReadOnlyCollection<string> districts, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("The email must be an address (at most 256 characters).");
        }

        var parsedRole = ConsoleRoles.Parse(role);
        if (parsedRole is null)
        {
            errors.Add($"The role must be one of {string.Join(", ", ConsoleRoles.All)}.");
        }
        else if (parsedRole == ConsoleRoles.Admin && districts.Count > 0)
        {
            errors.Add("An Admin manages every district and its users, so it cannot be limited to districts.");
        }

        var unknown = await UnknownDistrictsAsync(districts, cancellationToken);
        if (unknown.Count > 0)
        {
            errors.Add($"No district {string.Join(", ", unknown.Select(d => $"'{d}'"))} is onboarded ('cleversync status' lists them).");
        }

        if (string.IsNullOrEmpty(password))
        {
            errors.Add("A password is required.");
        }

        if (errors.Count > 0)
        {
            return new AccountResult(errors);
        }

        if (await users.FindByEmailAsync(email!) is not null)
        {
            return new AccountResult([$"A user {email} exists already."]);
        }

        await EnsureRolesAsync();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
        {
            return new AccountResult(created.Errors.Select(e => e.Description).ToList());
        }

        // Role and limits are written after the user: a failure removes the user again, so no half-made account remains.
        var claims = districts.Distinct(StringComparer.Ordinal).Select(d => new Claim(ConsoleRoles.DistrictClaim, d)).ToList();
        var steps = new[]
        {
            await users.AddToRoleAsync(user, parsedRole!),
            claims.Count > 0 ? await users.AddClaimsAsync(user, claims) : IdentityResult.Success,
        };
        if (steps.FirstOrDefault(s => !s.Succeeded) is { } failed)
        {
            await users.DeleteAsync(user);
            return new AccountResult(failed.Errors.Select(e => e.Description).ToList());
        }

        return new AccountResult([]);
    }

    public async Task<IReadOnlyList<ConsoleUserView>> ListAsync()
    {
        var result = new List<ConsoleUserView>();
        foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync())
        {
            var userRoles = await users.GetRolesAsync(user);
            var claims = await users.GetClaimsAsync(user);
            result.Add(new ConsoleUserView(user.Id, user.Email ?? user.UserName ?? user.Id,
                ConsoleRoles.All.LastOrDefault(userRoles.Contains) ?? "(none)",
                claims.Where(c => c.Type == ConsoleRoles.DistrictClaim).Select(c => c.Value).Order(StringComparer.Ordinal).ToList(),
                user.LockoutEnd is { } end && end > time.GetUtcNow() ? end : null));
        }

        return result;
    }

    /// <summary>Removes a user; an Admin cannot remove itself, so the last way in is never lost by a slip.</summary>
    public async Task<AccountResult> DeleteAsync(string id, string currentUserId)
    {
        if (id == currentUserId)
        {
            return new AccountResult(["You cannot remove your own account."]);
        }

        if (await users.FindByIdAsync(id) is not { } user)
        {
            return new AccountResult(["No such user."]);
        }

        var deleted = await users.DeleteAsync(user);
        return new AccountResult(deleted.Errors.Select(e => e.Description).ToList());
    }

    public async Task<bool> UnlockAsync(string id)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return false;
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return true;
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in ConsoleRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    private async Task<List<string>> UnknownDistrictsAsync(IReadOnlyCollection<string> districts, CancellationToken cancellationToken)
    {
        if (districts.Count == 0)
        {
            return [];
        }

        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var known = await db.Districts.Where(d => districts.Contains(d.CleverDistrictId)).Select(d => d.CleverDistrictId).ToListAsync(cancellationToken);
        return districts.Except(known, StringComparer.Ordinal).ToList();
    }
}
