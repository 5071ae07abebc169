namespace Monitoring.Client.Tests;

/// <summary>Waits for a condition that background work makes true, with a deadline (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Signal * 2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(5);
        }
    }
}
