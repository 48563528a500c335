using CleverSyncSOS.Credentials;

namespace CleverSyncSOS.Authentication;

/// <summary>Which district a token is for and where its client id and secret are kept.</summary>
public sealed record DistrictCredentials(string CleverDistrictId, CredentialReference Credentials);
