using System.Text.Json.Nodes;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>RFC 7396 merge patch (objects merge, null removes, anything else replaces) that also reports what it changed.</summary>
internal static class JsonMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/> in place and returns the previous values
    /// of the changed members, nested like the patch: Clever's <c>previous_attributes</c>. A member that did not
    /// exist before is reported as null.
    /// </summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        var previous = new JsonObject();
        foreach (var (key, value) in patch.ToList())
        {
            var existed = target.TryGetPropertyValue(key, out var old);
            if (value is null)
            {
                if (!existed) continue;
                previous[key] = old?.DeepClone();
                target.Remove(key);
            }
            else if (value is JsonObject patchObject)
            {
                if (old is JsonObject oldObject)
                {
                    var nested = Apply(oldObject, patchObject);
                    if (nested.Count > 0) previous[key] = nested;
                }
                else
                {
                    previous[key] = existed ? old?.DeepClone() : null;
                    var fresh = new JsonObject();
                    Apply(fresh, patchObject);
                    target[key] = fresh;
                }
            }
            else if (!existed || !JsonNode.DeepEquals(old, value))
            {
                previous[key] = existed ? old?.DeepClone() : null;
                target[key] = value.DeepClone();
            }
        }
        return previous;
    }
}
