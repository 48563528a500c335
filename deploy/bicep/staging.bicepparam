// Staging: one small PostgreSQL, two replicas (so clustering is exercised before production), operators may write
// secrets. The password is given at deployment: az deployment group create ... --parameters postgresAdminPassword=...
using 'main.bicep'

param environmentName = 'staging'
param image = 'cleversyncstaging.azurecr.io/cleversyncsos:staging'
param containerRegistryServer = 'cleversyncstaging.azurecr.io'
param replicas = 2
param externalIngress = true
param postgresSku = {
  name: 'Standard_B1ms'
  tier: 'Burstable'
}
param postgresStorageGb = 32
param postgresHighAvailability = false
param keyVaultSoftDeleteDays = 7
param logRetentionDays = 30
param postgresAdminPassword = readEnvironmentVariable('CLEVERSYNC_POSTGRES_ADMIN_PASSWORD', '')
