// Side panel: the selected station's AQI summary and its latest measurement of every metric, with
// quality flags as badges and masked values spelled out as "masked" (never shown as a number).

import type { Anomaly, AqiSummary, ClusterLabel, LatestMeasurement, MetricInfo, Station } from './api';
import { inColor, textColorOn, usColor } from './aqi';
import { el, flagLabel, formatTime, formatUtc, formatValue, isMasked, kMaskingFlags, metricLabel } from './format';

export interface PanelState {
  station: Station | null;
  latest: LatestMeasurement[] | null; // null while loading
  latestError: string | null;
  metrics: Map<string, MetricInfo>;
  chartMetric: string;
  anomalies: Anomaly[]; // the station's newest anomalies (empty when none or unavailable)
  cluster: { label: ClusterLabel; model: string } | null;
}

// The station's profile cluster and its newest anomalies, each with what drove it.
function analyticsSection(s: PanelState, tz: string): HTMLElement {
  const section = el('section', { class: 'analytics' });
  if (s.cluster) {
    section.append(el('p', { class: 'muted small cluster', text:
      `Daily-profile cluster ${s.cluster.label.cluster} (model ${s.cluster.model}, silhouette ${formatValue(s.cluster.label.silhouette, 2)})` }));
  }
  if (!s.anomalies.length) {
    section.append(el('p', { class: 'muted small', text: 'No recent anomalies.' }));
    return section;
  }
  const list = el('ul', { class: 'anomalies' });
  for (const a of s.anomalies) {
    const dir = a.explanation?.direction === 'low' ? 'low' : 'high';
    const related = Object.keys(a.explanation?.related_metrics ?? {}).map(metricLabel).join(', ');
    const text = `${formatTime(a.at, tz, true)} · ${metricLabel(a.metric)} unusually ${dir}: ` +
      `${formatValue(a.value)} (expected ${formatValue(a.explanation?.baseline)}, score ${formatValue(a.score, 1)})` +
      (related ? ` · also unusual: ${related}` : '');
    list.append(el('li', { text }));
  }
  section.append(el('h3', { text: 'Recent anomalies' }), list);
  return section;
}

function aqiCard(title: string, aqi: AqiSummary | null, color: string): HTMLElement {
  const card = el('div', { class: 'aqi-card' });
  card.style.setProperty('--aqi-bg', color);
  card.style.setProperty('--aqi-fg', textColorOn(color));
  card.append(
    el('span', { class: 'aqi-title', text: title }),
    el('span', { class: 'aqi-value', text: aqi ? formatValue(aqi.value, 0) : '–' }),
    el('span', { class: 'aqi-category', text: aqi ? aqi.category : 'No data' }),
  );
  return card;
}

function flagBadges(flags: string[]): HTMLElement | null {
  if (!flags.length) return null;
  const list = el('span', { class: 'badges' });
  for (const f of flags) {
    list.append(el('span', { class: `badge${kMaskingFlags.has(f) ? ' badge-mask' : ''}`, title: `Quality flag: ${flagLabel(f)}`, text: flagLabel(f) }));
  }
  return list;
}

function valueCell(m: LatestMeasurement, info: MetricInfo | undefined): HTMLElement {
  const cell = el('td', { class: 'value' });
  if (m.value === null || !Number.isFinite(m.value)) {
    const masked = isMasked(m.flags);
    cell.append(el('span', { class: masked ? 'masked' : 'missing', text: masked ? 'masked' : 'no value' }));
    return cell;
  }
  const unit = info?.display_unit ?? m.unit;
  cell.append(
    el('span', { class: 'num', text: formatValue(m.value) }),
    unit === '°' ? '' : ' ',
    el('span', { class: 'unit', text: unit }),
  );
  return cell;
}

function measurementRow(m: LatestMeasurement, s: PanelState, onMetric: (id: string) => void): HTMLElement {
  const info = s.metrics.get(m.metric);
  const pick = el('button', {
    type: 'button',
    class: 'metric-link',
    'aria-pressed': m.metric === s.chartMetric ? 'true' : 'false',
    title: info?.description ?? `Chart ${metricLabel(m.metric)}`,
    text: metricLabel(m.metric),
  });
  pick.addEventListener('click', () => onMetric(m.metric));
  const row = el('tr', { 'data-metric': m.metric, class: m.metric === s.chartMetric ? 'charted' : undefined },
    el('th', { scope: 'row' }, pick),
    valueCell(m, info),
    el('td', { class: 'flags' }, flagBadges(m.flags ?? [])),
    el('td', { class: 'when', title: formatUtc(m.observed_at), text: formatTime(m.observed_at, s.station?.timezone) }),
  );
  return row;
}

// Weather first, then pollutants, then indices, each in catalogue order.
function sortMeasurements(ms: LatestMeasurement[], metrics: Map<string, MetricInfo>): LatestMeasurement[] {
  const order = [...metrics.keys()];
  const kindRank = { weather: 0, pollutant: 1, index: 2 } as Record<string, number>;
  const rank = (m: LatestMeasurement): number => {
    const info = metrics.get(m.metric);
    const i = order.indexOf(m.metric);
    return (kindRank[info?.kind ?? ''] ?? 3) * 1000 + (i < 0 ? 999 : i);
  };
  return [...ms].sort((a, b) => rank(a) - rank(b));
}

export function renderPanel(root: HTMLElement, s: PanelState, onMetric: (id: string) => void): void {
  const st = s.station;
  root.dataset.stationId = st?.id ?? '';
  if (!st) {
    root.replaceChildren(el('h2', { text: 'No station selected' }), el('p', { class: 'muted', text: 'Pick a station on the map or in the list.' }));
    return;
  }
  const local = formatTime(Date.now(), st.timezone);
  const header = el('header', { class: 'panel-head' },
    el('h2', { id: 'panel-title', class: 'station-name', text: st.name }),
    el('p', { class: 'muted meta', text: `${st.region} · ${st.timezone} · ${st.lat.toFixed(2)}°, ${st.lon.toFixed(2)}°` }),
  );
  header.title = `Local clock time now: ${local}`;
  const cards = el('div', { class: 'aqi-cards' }, aqiCard('US AQI', st.aqi_us, usColor(st.aqi_us)), aqiCard('India AQI', st.aqi_in, inColor(st.aqi_in)));
  const observed = st.aqi_us?.observed_at ?? st.aqi_in?.observed_at;
  const children: Node[] = [header, cards];
  if (observed) children.push(el('p', { class: 'muted small', text: `AQI observed ${formatTime(observed, st.timezone, true)} local (${formatUtc(observed)})` }));

  if (s.latestError) {
    children.push(el('p', { class: 'inline-error', role: 'alert', text: s.latestError }));
  } else if (s.latest === null) {
    children.push(el('p', { class: 'muted', text: 'Loading latest measurements…' }));
  } else if (s.latest.length === 0) {
    children.push(el('p', { class: 'muted', text: 'No measurements yet for this station.' }));
  } else {
    const body = el('tbody');
    for (const m of sortMeasurements(s.latest, s.metrics)) body.append(measurementRow(m, s, onMetric));
    children.push(el('table', { class: 'latest' },
      el('caption', { text: 'Latest measurements (local time). Pick a metric to chart it.' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: 'Metric' }), el('th', { scope: 'col', text: 'Value' }),
        el('th', { scope: 'col', text: 'Flags' }), el('th', { scope: 'col', text: 'Time' }))),
      body));
  }
  children.push(analyticsSection(s, st.timezone));
  // Keep keyboard focus on the metric button that was used, across the re-render.
  const focused = (document.activeElement as HTMLElement | null)?.closest('tr')?.dataset.metric;
  root.replaceChildren(...children);
  if (focused) root.querySelector<HTMLElement>(`tr[data-metric="${CSS.escape(focused)}"] button`)?.focus();
}
