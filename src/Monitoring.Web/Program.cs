using Monitoring.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMonitoring();

var app = builder.Build();
await app.InitializeMonitoringAsync();
app.MapMonitoring();

app.Run();

/// <summary>Entry point; public so functional tests can start the real host.</summary>
public partial class Program;
