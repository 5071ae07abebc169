using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Monitoring.E2E.Tests;

/// <summary>
/// Once per test class: the real app, an HTTP target it monitors, and headless Chromium
/// (Debian's, never a downloaded one).
/// </summary>
public sealed class BrowserAppFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "monitoring-e2e-" + Guid.NewGuid().ToString("N"));
    private MonitoringAppFactory? _factory;
    private IPlaywright? _playwright;

    public Uri AppAddress { get; private set; } = null!;
    public TargetServer Target { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Where screenshots go: collected as test artifacts.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        Directory.CreateDirectory(ScreenshotDirectory);
        Target = await TargetServer.StartAsync();
        _factory = new MonitoringAppFactory(_dataDirectory);
        AppAddress = _factory.Start();
        Api = new HttpClient { BaseAddress = AppAddress, Timeout = TimeSpan.FromSeconds(10) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", MonitoringAppFactory.ApiKey);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A new browser page signed in as the admin through the login form, as a person would.</summary>
    public Task<(IBrowserContext Context, IPage Page)> NewSignedInPageAsync() =>
        NewSignedInPageAsync(MonitoringAppFactory.AdminUser, MonitoringAppFactory.AdminPassword);

    /// <summary>A new browser page signed in as <paramref name="userName"/> through the login form.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewSignedInPageAsync(string userName, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(AppAddress, "login").ToString());
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#submit");
        // Signed in once the redirect leaves /login; the page it lands on may still be booting WebAssembly,
        // which each test waits for itself (a full "load" on a busy 2-core machine can take long).
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        return (context, page);
    }

    /// <summary>Registers a service through the public API and returns its id.</summary>
    public async Task<long> RegisterServiceAsync(object body)
    {
        using var response = await Api.PostAsJsonAsync("api/v1/services", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Registering a service failed: {(int)response.StatusCode} {text}");
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>Creates a user through the admin API (with the bootstrap key).</summary>
    public async Task CreateUserAsync(string userName, string password, string role)
    {
        using var response = await Api.PostAsJsonAsync("api/v1/users", new { userName, password, role });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Creating user {userName} failed: {(int)response.StatusCode} {text}");
    }

    /// <summary>Saves a screenshot of the whole page into <see cref="ScreenshotDirectory"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
        Api?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (Target is not null) await Target.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment on some systems; a temp folder left behind is harmless.
        }
    }
}
