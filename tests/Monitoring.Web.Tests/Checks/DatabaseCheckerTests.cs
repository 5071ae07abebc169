using Microsoft.Data.Sqlite;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class DatabaseCheckerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dbcheck-").FullName;
    private readonly DatabaseChecker _checker = new();

    private Task<CheckOutcome> Check(string connectionString) =>
        _checker.CheckAsync(Service(ServiceType.Database, connectionString), TestTimeout());

    [Fact]
    public async Task Sqlite_file_is_healthy()
    {
        var path = Path.Combine(_dir, "app.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (id INTEGER)";
            await cmd.ExecuteNonQueryAsync();
        }

        var outcome = await Check($"Data Source={path}");
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
    }

    [Fact]
    public async Task Missing_file_is_unhealthy_and_not_created()
    {
        var path = Path.Combine(_dir, "typo.db");
        var outcome = await Check($"Data Source={path}");
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task File_that_is_not_a_database_is_unhealthy()
    {
        var path = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(path, new string('x', 4096));
        var outcome = await Check($"Data Source={path}");
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("not a database", outcome.Message);
    }

    [Theory]
    [InlineData("Server=db;Database=app;User Id=sa;Password=x")]
    [InlineData("Host=db;Username=app;Password=x")]
    [InlineData("Mode=Memory")]
    public async Task Other_providers_are_unsupported(string connectionString)
    {
        var outcome = await Check(connectionString);
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("Unsupported database provider", outcome.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
