using System.Text.Json.Serialization;

namespace CleverSyncSOS.Credentials;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SecretFileJsonContext : JsonSerializerContext;
