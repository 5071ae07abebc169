namespace Monitoring.Core.Collections;

/// <summary>
/// A fixed-capacity circular buffer of the newest items. Adding past capacity drops the
/// oldest. Not thread-safe: the owner serialises access.
/// </summary>
public sealed class RollingWindow<T>
{
    private readonly T[] _items;
    private int _start;

    public RollingWindow(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;
    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = item;
            Count++;
        }
        else
        {
            _items[_start] = item;
            _start = (_start + 1) % _items.Length;
        }
    }

    public T this[int index] => (uint)index < (uint)Count ? _items[(_start + index) % _items.Length] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Clear() { _start = 0; Count = 0; Array.Clear(_items); }

    /// <summary>Oldest first.</summary>
    public List<T> ToList()
    {
        var list = new List<T>(Count);
        for (var i = 0; i < Count; i++) list.Add(this[i]);
        return list;
    }
}
