using Monitoring.Core.Collections;

namespace Monitoring.Core.Tests.Collections;

public class RollingWindowTests
{
    [Fact]
    public void KeepsTheNewestItemsUpToCapacity()
    {
        var window = new RollingWindow<int>(3);
        for (var i = 1; i <= 5; i++) window.Add(i);
        Assert.Equal(3, window.Count);
        Assert.Equal([3, 4, 5], window.ToList());
        Assert.Equal(3, window[0]);
    }

    [Fact]
    public void IndexOutsideCountThrows()
    {
        var window = new RollingWindow<int>(3);
        window.Add(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => window[1]);
    }

    [Fact]
    public void ZeroCapacityIsRejected() => Assert.Throws<ArgumentOutOfRangeException>(() => new RollingWindow<int>(0));
}
