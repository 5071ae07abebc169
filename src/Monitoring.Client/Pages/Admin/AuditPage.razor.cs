using System.Globalization;
using Monitoring.Client.Admin;
using MudBlazor;

namespace Monitoring.Client.Pages.Admin;

/// <summary>
/// Admin: the audit log with filters and paging. The API has no total count, so each page asks
/// for one entry more than it shows: that extra entry says whether an older page exists.
/// </summary>
public partial class AuditPage
{
    private static readonly int[] s_pageSizes = [25, 50, 100, 250];

    private List<AuditEntry> _entries = [];
    private bool _loading = true;
    private bool _hasOlder;
    private int _pageSize = 50;
    private int _offset;
    private string? _actor, _action, _from, _to;
    // Filters as last applied: paging keeps them even if the fields were edited since.
    private AuditQuery _applied = new();
    private Dictionary<string, string> _fieldErrors = [];

    private string RangeText => _entries.Count == 0 ? "" : $"Entries {_offset + 1}–{_offset + _entries.Count}";

    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field);

    protected override Task LoadAsync() => FetchAsync();

    private async Task ApplyAsync()
    {
        _fieldErrors = [];
        var from = ParseLocal(_from, "from");
        var to = ParseLocal(_to, "to");
        if (from is { } f && to is { } t && f > t) _fieldErrors["to"] = "Must be after From.";
        if (_fieldErrors.Count > 0) return;
        _applied = new AuditQuery(Blank(_actor), Blank(_action), from, to);
        _offset = 0;
        await FetchAsync();
    }

    private async Task ClearAsync()
    {
        (_actor, _action, _from, _to) = (null, null, null, null);
        _fieldErrors = [];
        _applied = new AuditQuery();
        _offset = 0;
        await FetchAsync();
    }

    private async Task OlderAsync()
    {
        _offset += _pageSize;
        await FetchAsync();
    }

    private async Task NewerAsync()
    {
        _offset = Math.Max(0, _offset - _pageSize);
        await FetchAsync();
    }

    private async Task OnPageSizeChangedAsync(int size)
    {
        _pageSize = size;
        _offset = 0;
        await FetchAsync();
    }

    private async Task FetchAsync()
    {
        _loading = true;
        var result = await Api.GetAuditAsync(_applied with { Limit = _pageSize + 1, Offset = _offset });
        _loading = false;
        if (result.Problem is { Status: 400, Errors.Count: > 0 } problem)
        {
            // A filter the server could not read: say so next to it.
            _fieldErrors = problem.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value), StringComparer.OrdinalIgnoreCase);
            return;
        }
        if (!Succeeded(result, "Loading the audit log failed")) return;
        var rows = result.Value!;
        _hasOlder = rows.Count > _pageSize;
        _entries = rows.Count > _pageSize ? rows[.._pageSize] : rows;
    }

    /// <summary>A datetime-local value ("2026-11-24T08:30") is the browser's local time.</summary>
    private DateTimeOffset? ParseLocal(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            _fieldErrors[field] = "Enter a date and time.";
            return null;
        }
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string ActorIcon(string actorType) => actorType switch
    {
        "apikey" => Icons.Material.Filled.Key,
        "display" => Icons.Material.Filled.Tv,
        "system" => Icons.Material.Filled.Settings,
        "anonymous" => Icons.Material.Filled.HelpOutline,
        _ => Icons.Material.Filled.Person,
    };
}
