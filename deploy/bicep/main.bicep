// CleverSyncSOS in one resource group: Key Vault (secret layout), PostgreSQL flexible server (SessionDb and one
// database per school), Azure Container Apps running `cleversync serve` with a user-assigned managed identity that
// may read Key Vault secrets, and Application Insights. Parameters per environment: staging.bicepparam,
// production.bicepparam. Compiled in CI with the Bicep CLI; see deploy/README.md for what has not been deployed.
targetScope = 'resourceGroup'

@description('Short environment name, part of every resource name and of the school database prefix.')
@allowed(['staging', 'production'])
param environmentName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Container image of the service, e.g. myregistry.azurecr.io/cleversyncsos:1.4.0 (built with dotnet publish /t:PublishContainer).')
param image string

@description('Registry the image is pulled from with the managed identity (which needs AcrPull there); empty for a public image.')
param containerRegistryServer string = ''

@description('Replicas of the service. More than one runs the Quartz scheduler clustered on PostgreSQL.')
@minValue(1)
@maxValue(10)
param replicas int = 1

@description('Expose the service (health endpoints, API) outside the Container Apps environment.')
param externalIngress bool = false

@description('PostgreSQL administrator login; its password goes into Key Vault as part of the connection strings and nowhere else.')
param postgresAdminLogin string = 'cleversync'

@secure()
@description('PostgreSQL administrator password. Pass it at deployment time (never in a parameter file).')
param postgresAdminPassword string

@description('PostgreSQL flexible server compute: name and tier.')
param postgresSku object = {
  name: 'Standard_B1ms'
  tier: 'Burstable'
}

@description('PostgreSQL storage in GiB.')
param postgresStorageGb int = 32

@description('Zone-redundant high availability for PostgreSQL.')
param postgresHighAvailability bool = false

@description('Object ids of the operators (Entra users or groups) who onboard districts: they get Key Vault Secrets Officer.')
param operatorPrincipalIds array = []

@description('Days Key Vault keeps deleted secrets.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteDays int = 90

@description('Log Analytics retention in days.')
param logRetentionDays int = 30

var suffix = uniqueString(resourceGroup().id, environmentName)
var names = {
  identity: 'id-cleversync-${environmentName}'
  keyVault: take('kv-csync-${environmentName}-${suffix}', 24)
  postgres: 'psql-cleversync-${environmentName}-${suffix}'
  logs: 'log-cleversync-${environmentName}'
  insights: 'appi-cleversync-${environmentName}'
  environment: 'cae-cleversync-${environmentName}'
  app: 'ca-cleversync-${environmentName}'
}
var sessionDatabaseName = 'cleversync_session'
// School databases are {prefix}{clever school id}; the prefix keeps environments apart on a shared server.
var schoolDatabasePrefix = '${environmentName == 'production' ? 'prod' : 'stg'}_school_'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    logAnalyticsName: names.logs
    applicationInsightsName: names.insights
    retentionDays: logRetentionDays
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    serverName: names.postgres
    adminLogin: postgresAdminLogin
    adminPassword: postgresAdminPassword
    sku: postgresSku
    storageGb: postgresStorageGb
    highAvailability: postgresHighAvailability
    sessionDatabaseName: sessionDatabaseName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    keyVaultName: names.keyVault
    softDeleteDays: keyVaultSoftDeleteDays
    purgeProtection: environmentName == 'production'
    readerPrincipalId: identity.properties.principalId
    operatorPrincipalIds: operatorPrincipalIds
    // The two connection strings the service needs before any district exists; district and school secrets are
    // written by `cleversync district add` / `school add`, run by an operator.
    sessionDbConnectionString: 'Host=${postgres.outputs.fqdn};Database=${sessionDatabaseName};Username=${postgresAdminLogin};Password=${postgresAdminPassword};SSL Mode=Require'
    schoolDbServerConnectionString: 'Host=${postgres.outputs.fqdn};Username=${postgresAdminLogin};Password=${postgresAdminPassword};SSL Mode=Require'
  }
}

module app 'modules/containerapp.bicep' = {
  name: 'containerapp'
  params: {
    location: location
    environmentName: names.environment
    appName: names.app
    image: image
    containerRegistryServer: containerRegistryServer
    identityId: identity.id
    identityClientId: identity.properties.clientId
    logAnalyticsName: names.logs
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultUri: keyVault.outputs.vaultUri
    schoolDatabasePrefix: schoolDatabasePrefix
    replicas: replicas
    externalIngress: externalIngress
  }
  // keyVault.outputs.vaultUri makes the app wait for the whole Key Vault module, role assignment included, so the
  // identity can read secrets before the first replica starts.
}

output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.vaultUri
output postgresServer string = postgres.outputs.fqdn
output containerAppName string = app.outputs.name
output containerAppFqdn string = app.outputs.fqdn
output managedIdentityClientId string = identity.properties.clientId
