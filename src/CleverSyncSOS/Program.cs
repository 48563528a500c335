using CleverSyncSOS.Host.Commands;

return await CleverSyncCommandLine.Build().Parse(args).InvokeAsync();
