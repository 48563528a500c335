// The service on Azure Container Apps: `cleversync serve` on port 8080, the user-assigned identity for Key Vault
// (and the registry), liveness on /health/live, telemetry through the environment's OpenTelemetry agent to
// Application Insights. Every replica runs the same image; the Quartz scheduler is clustered on PostgreSQL so one
// school is synced by one replica at a time.
param location string
param environmentName string
param appName string
param image string
param containerRegistryServer string
param identityId string
param identityClientId string
param logAnalyticsName string
@secure()
param applicationInsightsConnectionString string
param keyVaultUri string
param schoolDatabasePrefix string
param replicas int
param externalIngress bool

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsName
}

resource environment 'Microsoft.App/managedEnvironments@2024-10-02-preview' = {
  name: environmentName
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    appInsightsConfiguration: {
      connectionString: applicationInsightsConnectionString
    }
    openTelemetryConfiguration: {
      tracesConfiguration: { destinations: ['appInsights'] }
      logsConfiguration: { destinations: ['appInsights'] }
    }
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: externalIngress
        targetPort: 8080
        transport: 'http'
        allowInsecure: false
      }
      registries: empty(containerRegistryServer) ? [] : [
        {
          server: containerRegistryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'cleversync'
          image: image
          args: ['serve', '--urls', 'http://+:8080']
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'CleverSyncSOS__Secrets__Provider', value: 'KeyVault' }
            { name: 'CleverSyncSOS__Secrets__VaultUri', value: keyVaultUri }
            { name: 'CleverSyncSOS__Databases__SessionDbProvider', value: 'PostgreSql' }
            { name: 'CleverSyncSOS__Databases__SchoolDbProvider', value: 'PostgreSql' }
            { name: 'CleverSyncSOS__Databases__SchoolDatabaseNamePrefix', value: schoolDatabasePrefix }
            { name: 'CleverSyncSOS__Scheduler__Clustered', value: 'true' }
            { name: 'CleverSyncSOS__Telemetry__Exporter', value: 'otlp' }
            { name: 'CleverSyncSOS__DataDir', value: '/tmp/cleversync' }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/health/live', port: 8080 }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: 8080 }
              periodSeconds: 30
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: replicas
        maxReplicas: replicas
      }
    }
  }
}

output name string = app.name
output fqdn string = app.properties.configuration.ingress.fqdn
