// Key Vault with Azure RBAC. Secret layout (names are the ones the service builds, see docs/deploy in README):
//   CleverSyncSOS--SessionDb--ConnectionString         SessionDb (written here)
//   CleverSyncSOS--SchoolDb--ServerConnectionString    server of the school databases (written here)
//   District-{id}--ClientId / District-{id}--ClientSecret   per district (cleversync district add)
//   CleverSyncSOS--School-{name}-ConnectionString     per school database (cleversync school add)
// The service's identity may only read (Key Vault Secrets User); operators who onboard may write (Secrets Officer).
param location string
param keyVaultName string
param softDeleteDays int
param purgeProtection bool
param readerPrincipalId string
param operatorPrincipalIds array
@secure()
param sessionDbConnectionString string
@secure()
param schoolDbServerConnectionString string

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteDays
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource serviceReads 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorsWrite 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for operatorId in operatorPrincipalIds: {
  scope: vault
  name: guid(vault.id, operatorId, keyVaultSecretsOfficer)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: operatorId
  }
}]

resource sessionDbSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'CleverSyncSOS--SessionDb--ConnectionString'
  properties: {
    value: sessionDbConnectionString
    contentType: 'PostgreSQL connection string'
  }
}

resource schoolServerSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'CleverSyncSOS--SchoolDb--ServerConnectionString'
  properties: {
    value: schoolDbServerConnectionString
    contentType: 'PostgreSQL connection string (database part replaced per school)'
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
