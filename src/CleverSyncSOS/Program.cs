using CleverSyncSOS.Host.Commands;

return await CleverSyncCommandLine.InvokeAsync(args);
