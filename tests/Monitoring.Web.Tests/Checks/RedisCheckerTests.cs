using System.Text;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class RedisCheckerTests
{
    private readonly RedisChecker _checker = new();

    /// <summary>A fake Redis that reads one command line and answers <paramref name="reply"/>.</summary>
    private static LoopbackServer FakeRedis(string reply, TaskCompletionSource<string> command) => new(async (client, ct) =>
    {
        var stream = client.GetStream();
        var buffer = new byte[64];
        var length = 0;
        while (!Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n"))
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) return;
            length += read;
        }
        command.TrySetResult(Encoding.ASCII.GetString(buffer, 0, length));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), ct);
    });

    [Fact]
    public async Task Pong_is_healthy()
    {
        var command = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = FakeRedis("+PONG\r\n", command);

        var outcome = await _checker.CheckAsync(Service(ServiceType.Redis, server.Target), TestTimeout());

        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Equal("PING\r\n", await command.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Noauth_is_degraded()
    {
        await using var server = FakeRedis("-NOAUTH Authentication required.\r\n", new());
        var outcome = await _checker.CheckAsync(Service(ServiceType.Redis, server.Target), TestTimeout());
        Assert.Equal(ServiceStatus.Degraded, outcome.Status);
        Assert.Contains("NOAUTH", outcome.Message);
    }

    [Fact]
    public async Task Error_reply_is_unhealthy()
    {
        await using var server = FakeRedis("-LOADING Redis is loading the dataset in memory\r\n", new());
        var outcome = await _checker.CheckAsync(Service(ServiceType.Redis, server.Target), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("LOADING", outcome.Message);
    }

    [Fact]
    public async Task Peer_that_hangs_up_is_unhealthy()
    {
        await using var server = new LoopbackServer((_, _) => Task.CompletedTask);
        var outcome = await _checker.CheckAsync(Service(ServiceType.Redis, server.Target), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
    }

    [Fact]
    public async Task Closed_port_is_unhealthy()
    {
        var outcome = await _checker.CheckAsync(Service(ServiceType.Redis, $"127.0.0.1:{ClosedPort()}"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("connection refused", outcome.Message);
    }
}
