// Log Analytics (Container Apps' console logs) and a workspace-based Application Insights (traces and logs of the
// service through the Container Apps OpenTelemetry agent).
param location string
param logAnalyticsName string
param applicationInsightsName string
param retentionDays int

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: false
  }
}

output applicationInsightsConnectionString string = insights.properties.ConnectionString
output logAnalyticsId string = logs.id
