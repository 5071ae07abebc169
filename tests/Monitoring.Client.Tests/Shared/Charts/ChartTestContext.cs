using Bunit;
using Monitoring.Client.Shared.Charts;

namespace Monitoring.Client.Tests.Shared.Charts;

/// <summary>
/// Strict JS interop: any call the tests did not plan for fails the test, so the chart module
/// calls (create with options, appendPoints, update, destroy) are exactly what is verified.
/// </summary>
public abstract class ChartTestContext : MonitoringTestContext
{
    protected ChartTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        Module = JSInterop.SetupModule(ChartModule.Path);
        Module.Setup<bool>(ChartModule.Create, _ => true).SetResult(true);
        Module.Setup<bool>(ChartModule.AppendPoints, _ => true).SetResult(true);
        Module.Setup<bool>(ChartModule.Update, _ => true).SetResult(true);
        Module.SetupVoid(ChartModule.Destroy, _ => true).SetVoidResult();
    }

    protected BunitJSModuleInterop Module { get; }
}
