using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;

namespace Monitoring.Client.Pages.Overview;

/// <summary>
/// Every service as a tile (status by colour, glyph and tooltip) in a stable order (by name), so
/// an update moves nothing. Tiles come in blocks of <see cref="BlockSize"/>; each block carries a
/// fingerprint of its statuses and re-renders only when it changed, which keeps 10,000 tiles
/// cheap: a check result that doesn't change a status costs no DOM work at all.
/// </summary>
public partial class StatusGrid : IDisposable
{
    public const int BlockSize = 250;

    public sealed record Tile(long Id, string Title, string Status);

    public sealed record Block(int Index, IReadOnlyList<Tile> Tiles, long Version);

    private IDisposable? _subscription;
    private List<Block> _blocks = [];
    private Dictionary<string, int> _counts = [];
    private int _total;

    [Inject] public required ServicesStore Store { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _subscription = Store.OnChanged(() => InvokeAsync(() =>
        {
            if (Rebuild()) StateHasChanged();
        }));
        Rebuild();
        await Store.StartAsync();
    }

    /// <summary>True when anything visible changed.</summary>
    private bool Rebuild()
    {
        var services = Store.GetServices();
        var sorted = services.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Id).ToList();
        var counts = new Dictionary<string, int>();
        var blockCount = (sorted.Count + BlockSize - 1) / BlockSize;
        var blocks = new List<Block>(blockCount);
        var changed = sorted.Count != _total || blockCount != _blocks.Count;
        for (var b = 0; b * BlockSize < sorted.Count; b++)
        {
            var tiles = new List<Tile>(BlockSize);
            var version = 17L;
            for (var i = b * BlockSize; i < Math.Min(sorted.Count, (b + 1) * BlockSize); i++)
            {
                var s = sorted[i];
                var appearance = StatusAppearance.For(s.Status);
                counts[appearance.Status] = counts.GetValueOrDefault(appearance.Status) + 1;
                tiles.Add(new Tile(s.Id, $"{s.Name}: {appearance.Label}", appearance.Status));
                version = unchecked(version * 31 + s.Id) * 31 + appearance.Severity + s.Name.GetHashCode(StringComparison.Ordinal);
            }
            var old = b < _blocks.Count ? _blocks[b] : null;
            if (old is not null && old.Version == version) blocks.Add(old);
            else { blocks.Add(new Block(b, tiles, version)); changed = true; }
        }
        _blocks = blocks;
        _total = sorted.Count;
        if (!changed && counts.Count == _counts.Count && counts.All(kv => _counts.GetValueOrDefault(kv.Key) == kv.Value)) return false;
        _counts = counts;
        return true;
    }

    public void Dispose() => _subscription?.Dispose();
}
