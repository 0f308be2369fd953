// Turns /api/v1/observations responses into chart points for the selected station and metric.
// The demo runs on simulated time that can run ahead of the wall clock, so the 24-hour window ends
// at the newest observation the API reported, not at the browser's "now".

import { fetchObservations, isBucketed, type LatestMeasurement, type MetricInfo, type Station } from './api';
import type { ChartData, ChartPoint } from './chart';
import { metricLabel } from './format';

const kDayMs = 24 * 3_600_000;
const kDefaultStepMs = 5 * 60_000;

export function newestObservation(latest: LatestMeasurement[], st: Station): number | null {
  const times = [
    ...latest.map((m) => m.observed_at),
    st.aqi_us?.observed_at,
    st.aqi_in?.observed_at,
  ].map((t) => Date.parse(t ?? '')).filter(Number.isFinite);
  return times.length ? Math.max(...times) : null;
}

function medianStep(points: ChartPoint[]): number {
  const deltas: number[] = [];
  for (let i = 1; i < points.length; i++) deltas.push(points[i]!.t - points[i - 1]!.t);
  deltas.sort((a, b) => a - b);
  const mid = deltas[Math.floor(deltas.length / 2)];
  return mid && mid > 0 ? mid : kDefaultStepMs;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function loadChartData(
  st: Station,
  metric: string,
  resolution: 'raw' | '1h',
  newestMs: number,
  info: MetricInfo | undefined,
): Promise<ChartData> {
  const toMs = newestMs + 60_000;
  const fromMs = toMs - kDayMs;
  const obs = await fetchObservations({
    station: st.id, metric, fromMs, toMs, ...(resolution === '1h' ? { bucket: '1h' } : {}),
  });
  let points: ChartPoint[];
  let stepMs: number;
  if (isBucketed(obs)) {
    points = obs.points.map((p) => ({ t: Date.parse(p.t), v: num(p.mean), lo: num(p.min), hi: num(p.max), count: p.count }));
    stepMs = (obs.bucket_secs || 3600) * 1000;
  } else {
    points = obs.points.map((p) => ({ t: Date.parse(p.t), v: num(p.value), flags: p.flags ?? [] }));
    stepMs = medianStep(points);
  }
  points = points.filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  return {
    points,
    bucketed: isBucketed(obs),
    stepMs,
    fromMs,
    toMs,
    unit: info?.display_unit ?? obs.unit ?? '',
    metricLabel: metricLabel(metric),
    stationName: st.name,
    timezone: st.timezone,
    zeroBased: info ? info.min === 0 : false,
  };
}
