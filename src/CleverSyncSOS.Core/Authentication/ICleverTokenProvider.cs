namespace CleverSyncSOS.Authentication;

public interface ICleverTokenProvider
{
    /// <summary>A valid token for the district, from the cache while it is fresh.</summary>
    Task<CleverAuthToken> GetTokenAsync(DistrictCredentials district, CancellationToken cancellationToken);

    /// <summary>
    /// Asks Clever for the district's token now, whatever the cache holds: the health probe and the onboarding
    /// check. A failure is recorded in health and thrown, even when syncs can still run on a cached token.
    /// </summary>
    Task<CleverAuthToken> CheckAsync(DistrictCredentials district, CancellationToken cancellationToken);

    /// <summary>Drops a token that Clever rejected, so the next call fetches a new one.</summary>
    void Invalidate(string cleverDistrictId, string accessToken);
}
