using System.Text.Json.Nodes;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>One role a stored user holds and the schools it is attached to (primary + schools[]).</summary>
internal sealed record RoleMembership(string Role, string[] Schools)
{
    /// <summary>
    /// Reads roles.{role}.school / schools[] tolerantly: injected records may be malformed on purpose,
    /// so anything that is not the expected shape is simply ignored.
    /// </summary>
    public static RoleMembership[] From(JsonObject? user)
    {
        if (user?["roles"] is not JsonObject roles) return [];
        var result = new List<RoleMembership>(roles.Count);
        foreach (var (role, node) in roles)
        {
            var schools = new List<string>();
            if (node is JsonObject roleObject)
            {
                if (AsString(roleObject["school"]) is { } primary) schools.Add(primary);
                if (roleObject["schools"] is JsonArray array)
                {
                    foreach (var item in array)
                    {
                        if (AsString(item) is { } school && !schools.Contains(school)) schools.Add(school);
                    }
                }
            }
            result.Add(new RoleMembership(role, schools.ToArray()));
        }
        return result.ToArray();
    }

    public static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
