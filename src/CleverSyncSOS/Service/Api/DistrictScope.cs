using System.Security.Claims;
using CleverSyncSOS.Persistence.Users;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>
/// The districts a console user or an API caller may see. One limited to some districts sees nothing of the others: every read of the
/// console and the API goes through this, and what is outside answers "not found" (so not even a district's existence leaks).
/// </summary>
public sealed class DistrictScope
{
    private readonly IReadOnlySet<string> _districts;

    private DistrictScope(IReadOnlySet<string> districts) => _districts = districts;

    public static DistrictScope Of(ClaimsPrincipal user) => new(ConsoleRoles.Districts(user));

    public bool IsEveryDistrict => _districts.Count == 0;

    public IReadOnlyCollection<string> Districts => (IReadOnlyCollection<string>)_districts;

    public bool Allows(string cleverDistrictId) => IsEveryDistrict || _districts.Contains(cleverDistrictId);
}
