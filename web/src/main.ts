// Dashboard entry point: owns the page state, loads data from the envmon API, and re-renders the
// map, panel, chart and list. Refreshes every 30 s. Any API failure becomes a visible banner
// (or an inline message) instead of a blank page.

import './style.css';
import {
  ApiError, fetchAnomalies, fetchClusters, fetchLatest, fetchMetrics, fetchStations, type Anomaly, type Clusters,
  type LatestMeasurement, type MetricInfo, type Station,
} from './api';
import { kUsBands, kNoDataColor } from './aqi';
import { renderChart, type ChartData } from './chart';
import { loadChartData, newestObservation } from './chart_data';
import { el, formatUtc, metricLabel } from './format';
import { createStationMap } from './map';
import { renderPanel } from './panel';
import { renderStationList, type SortState } from './station_list';

const kRefreshMs = 30_000;

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`dashboard markup is missing #${id}`);
  return node as T;
}

const ui = {
  banner: byId('status-banner'),
  bannerText: byId('status-message'),
  retry: byId<HTMLButtonElement>('retry'),
  dot: byId('status-dot'),
  lastUpdate: byId('last-update'),
  dataTime: byId('data-time'),
  map: byId('map'),
  tooltip: byId('map-tooltip'),
  legend: byId('legend'),
  panel: byId('station-panel'),
  chart: byId('chart'),
  chartTitle: byId('chart-title'),
  chartNote: byId('chart-note'),
  metricSelect: byId<HTMLSelectElement>('metric-select'),
  list: byId('list'),
};

const state = {
  stations: [] as Station[],
  metrics: new Map<string, MetricInfo>(),
  selectedId: null as string | null,
  chartMetric: 'pm25',
  resolution: 'raw' as 'raw' | '1h',
  sort: { key: 'aqi_us', descending: true } as SortState,
  latest: null as LatestMeasurement[] | null,
  latestError: null as string | null,
  anomalies: [] as Anomaly[],
  clusters: { model: null, stations: [] } as Clusters,
  chart: null as ChartData | null,
  chartMessage: 'Loading chart…',
  selectionToken: 0,
  timer: 0,
};

function describe(e: unknown): string {
  return e instanceof ApiError ? e.message : `Unexpected error: ${String(e)}`;
}

function showBanner(message: string | null): void {
  ui.banner.hidden = message === null;
  ui.bannerText.textContent = message ?? '';
  ui.dot.className = `status-dot ${message === null ? 'ok' : 'error'}`;
}

function renderLegend(): void {
  const items = kUsBands.map((b) => el('li', {}, swatch(b.color), `${b.label} (${b.range})`));
  items.push(el('li', {}, swatch(kNoDataColor), 'No data'));
  ui.legend.replaceChildren(...items);
}

function swatch(color: string): HTMLElement {
  const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  s.style.background = color;
  return s;
}

function renderMetricOptions(): void {
  const groups: [string, string][] = [['weather', 'Weather'], ['pollutant', 'Pollutants'], ['index', 'Air-quality indices']];
  const metrics = [...state.metrics.values()];
  if (!metrics.length) {
    ui.metricSelect.replaceChildren(el('option', { value: state.chartMetric, text: metricLabel(state.chartMetric) }));
    return;
  }
  const nodes = groups.map(([kind, label]) => {
    const group = el('optgroup', { label });
    for (const m of metrics.filter((x) => x.kind === kind)) {
      group.append(el('option', { value: m.id, text: `${metricLabel(m.id)} (${m.display_unit})` }));
    }
    return group;
  }).filter((g) => g.childElementCount > 0);
  ui.metricSelect.replaceChildren(...nodes);
  if (!state.metrics.has(state.chartMetric)) state.chartMetric = metrics[0]!.id;
  ui.metricSelect.value = state.chartMetric;
}

const selectedStation = (): Station | null => state.stations.find((s) => s.id === state.selectedId) ?? null;

function renderStations(): void {
  map.update(state.stations, state.selectedId);
  renderStationList(ui.list, state.stations, state.selectedId, state.sort, select, (s) => {
    state.sort = s;
    renderStations();
  });
}

function renderPanelNow(): void {
  renderPanel(ui.panel, {
    station: selectedStation(),
    latest: state.latest,
    latestError: state.latestError,
    metrics: state.metrics,
    chartMetric: state.chartMetric,
    anomalies: state.anomalies,
    cluster: clusterOf(state.selectedId),
  }, chooseMetric);
}

function clusterOf(id: string | null): { label: Clusters['stations'][number]; model: string } | null {
  const label = state.clusters.stations.find((c) => c.station === id);
  return label && state.clusters.model ? { label, model: state.clusters.model } : null;
}

// Anomalies and clusters are extras: when they fail the panel simply shows none.
async function loadAnalytics(token: number, st: Station): Promise<void> {
  const [anomalies, clusters] = await Promise.all([
    fetchAnomalies(st.id).catch(() => [] as Anomaly[]),
    fetchClusters().catch(() => state.clusters),
  ]);
  if (token !== state.selectionToken) return;
  state.anomalies = anomalies;
  state.clusters = clusters;
}

function renderChartNow(): void {
  const st = selectedStation();
  const label = metricLabel(state.chartMetric);
  ui.chartTitle.textContent = st ? `${label} at ${st.name} · last 24 h` : 'Last 24 hours';
  renderChart(ui.chart, state.chart, state.chartMessage);
  ui.chartNote.textContent = state.chart
    ? `Times are local to the station (${st?.timezone ?? 'UTC'}), ending ${formatUtc(state.chart.toMs)}. ` +
      (state.chart.bucketed ? 'Line: hourly mean; shaded band: hourly min–max. ' : 'Gaps: masked or missing readings. ')
    : '';
}

// Latest measurements first (they define "now" in simulated time), then the chart.
async function loadSelection(): Promise<void> {
  const token = ++state.selectionToken;
  const st = selectedStation();
  if (!st) return;
  try {
    const latest = await fetchLatest(st.id);
    if (token !== state.selectionToken) return;
    state.latest = latest.measurements;
    state.latestError = null;
  } catch (e) {
    if (token !== state.selectionToken) return;
    state.latestError = `Latest measurements unavailable. ${describe(e)}`;
  }
  await loadAnalytics(token, st);
  renderPanelNow();
  await loadChart(token, st);
}

async function loadChart(token: number, st: Station): Promise<void> {
  const nowMs = newestObservation(state.latest ?? [], st) ?? Date.now();
  try {
    const data = await loadChartData(st, state.chartMetric, state.resolution, nowMs, state.metrics.get(state.chartMetric));
    if (token !== state.selectionToken) return;
    state.chart = data;
    state.chartMessage = `No ${metricLabel(state.chartMetric)} data for ${st.name} in the last 24 hours yet.`;
  } catch (e) {
    if (token !== state.selectionToken) return;
    state.chart = null;
    state.chartMessage = `Chart unavailable. ${describe(e)}`;
  }
  renderChartNow();
}

function select(id: string): void {
  if (id === state.selectedId) return;
  state.selectedId = id;
  state.latest = null;
  state.anomalies = [];
  state.latestError = null;
  state.chart = null;
  state.chartMessage = 'Loading chart…';
  renderStations();
  renderPanelNow();
  renderChartNow();
  void loadSelection();
}

function chooseMetric(id: string): void {
  state.chartMetric = id;
  ui.metricSelect.value = id;
  renderPanelNow();
  const st = selectedStation();
  if (st) void loadChart(++state.selectionToken, st);
}

function updateClock(): void {
  ui.lastUpdate.textContent = `Updated ${new Date().toLocaleTimeString('en-GB', { hourCycle: 'h23' })}`;
  const newest = state.stations
    .map((s) => Date.parse(s.aqi_us?.observed_at ?? s.aqi_in?.observed_at ?? ''))
    .filter(Number.isFinite);
  ui.dataTime.textContent = newest.length ? `· data to ${formatUtc(Math.max(...newest))}` : '';
}

async function refresh(): Promise<void> {
  window.clearTimeout(state.timer);
  try {
    const [stations, metrics] = await Promise.all([
      fetchStations(),
      state.metrics.size ? Promise.resolve(null) : fetchMetrics(),
    ]);
    if (metrics) {
      state.metrics = new Map(metrics.map((m) => [m.id, m]));
      renderMetricOptions();
    }
    state.stations = stations;
    showBanner(stations.length ? null : 'The envmon API lists no stations yet. Check the configuration.');
    if (!selectedStation()) state.selectedId = stations[0]?.id ?? null;
    updateClock();
    renderStations();
    renderPanelNow();
    await loadSelection();
  } catch (e) {
    const kept = state.stations.length ? ' Showing the last data received.' : '';
    showBanner(`${describe(e)}${kept} Retrying every ${kRefreshMs / 1000} s.`);
    ui.lastUpdate.textContent = `Update failed ${new Date().toLocaleTimeString('en-GB', { hourCycle: 'h23' })}`;
    if (!state.stations.length) {
      state.chartMessage = 'No data: the envmon API could not be reached.';
      renderChartNow();
      renderPanelNow();
    }
  } finally {
    state.timer = window.setTimeout(() => void refresh(), kRefreshMs);
  }
}

const map = createStationMap(ui.map, ui.tooltip, select);

function wireControls(): void {
  ui.retry.addEventListener('click', () => void refresh());
  ui.metricSelect.addEventListener('change', () => chooseMetric(ui.metricSelect.value));
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="resolution"]')) {
    input.addEventListener('change', () => {
      state.resolution = input.value === '1h' ? '1h' : 'raw';
      const st = selectedStation();
      if (st) void loadChart(++state.selectionToken, st);
    });
  }
  // Re-draw only when the width changes: the chart's own height changes must not loop.
  let pending = 0;
  let width = ui.chart.clientWidth;
  new ResizeObserver(() => {
    if (ui.chart.clientWidth === width) return;
    width = ui.chart.clientWidth;
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => renderChartNow());
  }).observe(ui.chart);
}

renderLegend();
renderMetricOptions();
wireControls();
renderStations();
renderPanelNow();
void refresh();
