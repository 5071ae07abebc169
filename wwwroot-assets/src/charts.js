// Chart interop module: the Blazor side creates, appends to, updates and destroys
// ApexCharts instances by element id. One module-level map holds the instances so
// .NET only ever passes ids and plain data across the boundary.
const charts = new Map();

export function create(elementId, options) {
  destroy(elementId);
  const el = document.getElementById(elementId);
  if (!el || !window.ApexCharts) return false;
  const chart = new window.ApexCharts(el, options);
  chart.render();
  charts.set(elementId, chart);
  return true;
}

export function appendPoints(elementId, seriesIndex, points, maxPoints) {
  const chart = charts.get(elementId);
  if (!chart) return false;
  const series = chart.w.config.series.map(s => ({ name: s.name, data: s.data.slice() }));
  const target = series[seriesIndex];
  if (!target) return false;
  for (const p of points) target.data.push(p);
  if (maxPoints && target.data.length > maxPoints) target.data.splice(0, target.data.length - maxPoints);
  chart.updateSeries(series, false);
  return true;
}

export function update(elementId, options) {
  const chart = charts.get(elementId);
  if (!chart) return false;
  chart.updateOptions(options, false, false);
  return true;
}

export function destroy(elementId) {
  const chart = charts.get(elementId);
  if (chart) {
    chart.destroy();
    charts.delete(elementId);
  }
}
