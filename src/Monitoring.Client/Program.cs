using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Monitoring.Client;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddMonitoringClient(builder.HostEnvironment.BaseAddress);
await builder.Build().RunAsync();
