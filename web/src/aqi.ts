// AQI category colours for the legend and for stations whose summary lacks a colour. The US EPA
// colours are the official RGB values (EPA-454/B-24-002); India's CPCB names colours only in words,
// so these are the commonly used equivalents. The API's own `color` always wins when present.

export interface AqiBand {
  label: string;
  range: string;
  color: string;
}

export const kNoDataColor = '#9aa3ad';

export const kUsBands: AqiBand[] = [
  { label: 'Good', range: '0–50', color: '#00e400' },
  { label: 'Moderate', range: '51–100', color: '#ffff00' },
  { label: 'Unhealthy for Sensitive Groups', range: '101–150', color: '#ff7e00' },
  { label: 'Unhealthy', range: '151–200', color: '#ff0000' },
  { label: 'Very Unhealthy', range: '201–300', color: '#8f3f97' },
  { label: 'Hazardous', range: '301+', color: '#7e0023' },
];

export const kInBands: AqiBand[] = [
  { label: 'Good', range: '0–50', color: '#009933' },
  { label: 'Satisfactory', range: '51–100', color: '#8fd14f' },
  { label: 'Moderately polluted', range: '101–200', color: '#ffd700' },
  { label: 'Poor', range: '201–300', color: '#ff8c00' },
  { label: 'Very poor', range: '301–400', color: '#e60000' },
  { label: 'Severe', range: '401+', color: '#8b0000' },
];

const kUsUpper = [50, 100, 150, 200, 300, Infinity];
const kInUpper = [50, 100, 200, 300, 400, Infinity];

function bandFor(value: number, uppers: number[], bands: AqiBand[]): AqiBand {
  const i = uppers.findIndex((u) => Math.round(value) <= u);
  return bands[i < 0 ? bands.length - 1 : i] ?? bands[0]!;
}

export function usBand(value: number): AqiBand {
  return bandFor(value, kUsUpper, kUsBands);
}

export function inBand(value: number): AqiBand {
  return bandFor(value, kInUpper, kInBands);
}

export function usColor(aqi: { value: number; color?: string } | null): string {
  if (!aqi || !Number.isFinite(aqi.value)) return kNoDataColor;
  return aqi.color && /^#[0-9a-f]{3,8}$/i.test(aqi.color) ? aqi.color : usBand(aqi.value).color;
}

export function inColor(aqi: { value: number; color?: string } | null): string {
  if (!aqi || !Number.isFinite(aqi.value)) return kNoDataColor;
  return aqi.color && /^#[0-9a-f]{3,8}$/i.test(aqi.color) ? aqi.color : inBand(aqi.value).color;
}

// Dark text on light fills (yellow, green), light text on dark ones, picked by relative luminance.
export function textColorOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  if (!m) return '#111';
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return lum > 0.35 ? '#111' : '#fff';
}
