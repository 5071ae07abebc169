using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Data;

/// <summary>Applies EF Core migrations at start (never EnsureCreated) and switches the file to WAL.</summary>
public static class DatabaseInitializer
{
    public static async Task MigrateAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        await using (var connection = new SqliteConnection(SqliteSetup.ConnectionString(options)))
        {
            await connection.OpenAsync();
            await SqliteSetup.EnableWalAsync(connection, CancellationToken.None);
        }
        var factory = services.GetRequiredService<IDbContextFactory<MonitoringDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app.</summary>
public sealed class DesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<MonitoringDbContext>
{
    public MonitoringDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MonitoringDbContext>().UseSqlite("Data Source=design.db").Options);
}
