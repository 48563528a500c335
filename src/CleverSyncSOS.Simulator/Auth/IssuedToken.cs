namespace CleverSyncSOS.Simulator.Auth;

/// <summary>A district-app bearer token as the tokens endpoint lists it.</summary>
internal sealed class IssuedToken
{
    public required string Id { get; init; }
    public required string AccessToken { get; init; }
    public required int DistrictIndex { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary>Null = never expires (real Clever: valid until the district disconnects).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Revoked { get; set; }

    public bool IsValidAt(DateTimeOffset now) => !Revoked && (ExpiresAt is null || now < ExpiresAt);
}
