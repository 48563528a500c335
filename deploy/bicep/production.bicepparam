// Production: general-purpose PostgreSQL with zone-redundant HA, two replicas, purge protection on Key Vault,
// health endpoints inside the environment only. The password is read from the deploying shell's environment.
using 'main.bicep'

param environmentName = 'production'
param image = 'cleversyncprod.azurecr.io/cleversyncsos:1.0.0'
param containerRegistryServer = 'cleversyncprod.azurecr.io'
param replicas = 2
param externalIngress = false
param postgresSku = {
  name: 'Standard_D2ds_v5'
  tier: 'GeneralPurpose'
}
param postgresStorageGb = 128
param postgresHighAvailability = true
param keyVaultSoftDeleteDays = 90
param logRetentionDays = 90
param postgresAdminPassword = readEnvironmentVariable('CLEVERSYNC_POSTGRES_ADMIN_PASSWORD', '')
