// Number, time and label formatting shared by the panel, chart and list.

export function formatValue(v: number | null | undefined, digits?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const d = digits ?? (abs >= 1000 ? 0 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  return v.toLocaleString('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: d });
}

// Time zone names come from the API (IANA); an unknown name must not break rendering.
function safeTimeZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

export function formatTime(iso: string | number, tz?: string, withDate = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (withDate) Object.assign(opts, { day: 'numeric', month: 'short' });
  const zone = safeTimeZone(tz);
  if (zone) opts.timeZone = zone;
  return d.toLocaleString('en-GB', opts);
}

export function formatUtc(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// Offset of `tz` from UTC in minutes at instant `ms` (e.g. +330 for Asia/Kolkata).
export function tzOffsetMinutes(ms: number, tz: string | undefined): number {
  const zone = safeTimeZone(tz);
  if (!zone) return -new Date(ms).getTimezoneOffset();
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const kMetricNames: Record<string, string> = {
  temperature: 'Temperature',
  humidity: 'Humidity',
  pressure: 'Pressure',
  wind_speed: 'Wind speed',
  wind_direction: 'Wind direction',
  precipitation: 'Precipitation',
  cloud_cover: 'Cloud cover',
  pm25: 'PM2.5',
  pm10: 'PM10',
  o3: 'O₃',
  no2: 'NO₂',
  so2: 'SO₂',
  co: 'CO',
  aqi_us: 'US AQI',
  aqi_in: 'India AQI',
};

export function metricLabel(id: string): string {
  return kMetricNames[id] ?? id.replace(/_/g, ' ');
}

// Flags that mean the cleaner masked the value (see src/model/reading.h kMaskingFlags).
export const kMaskingFlags = new Set(['out_of_bounds', 'spike', 'outlier', 'stuck']);

export function isMasked(flags: string[] | undefined): boolean {
  return (flags ?? []).some((f) => kMaskingFlags.has(f));
}

export function flagLabel(flag: string): string {
  return flag.replace(/_/g, ' ');
}

// Build an element with attributes and children; keeps DOM code short without a framework.
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') node.className = String(v);
    else if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

const kSvgNs = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(kSvgNs, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
