using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>Which users a list request sees: the token's district, optionally one school and/or one role.</summary>
internal sealed record UserFilter(int DistrictIndex, string? Role, SchoolState? School)
{
    public bool Matches(UserRecord user)
    {
        if (user.Removed || user.DistrictIndex != DistrictIndex) return false;
        if (School is not null) return user.InSchool(School, Role);
        return Role is null || user.HasRole(Role);
    }
}
