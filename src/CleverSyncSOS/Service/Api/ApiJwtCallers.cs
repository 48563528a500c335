using System.Security.Claims;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>
/// A JWT caller of <c>/api</c> as the API sees it: known by its subject, and limited to the districts of
/// <see cref="ApiOptions.JwtDistrictClaim"/> when that is configured. Only those claims are kept, so a token cannot hand
/// itself a console claim (a district limit of another name) by carrying it.
/// </summary>
public static class ApiJwtCallers
{
    public static Task LimitToDistricts(TokenValidatedContext context, string? districtClaim)
    {
        var token = context.Principal!;
        var subject = token.FindFirst("sub")?.Value ?? token.FindFirst("oid")?.Value ?? token.FindFirst("azp")?.Value ?? "unknown";
        var claims = new List<Claim> { new(ClaimTypes.Name, $"jwt:{subject}") };
        if (districtClaim is not null)
        {
            var districts = token.FindAll(districtClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
            if (districts.Count == 0 || districts.Any(d => CleverId.Problem(d) is not null))
            {
                context.Fail($"The token carries no usable '{districtClaim}' claim, and this service limits every token to its districts.");
                return Task.CompletedTask;
            }

            claims.AddRange(districts.Select(d => new Claim(ConsoleRoles.DistrictClaim, d)));
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, JwtBearerDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
        return Task.CompletedTask;
    }
}
