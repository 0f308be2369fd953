// Axis helpers for the SVG chart: "nice" value ticks and time ticks aligned to a station's local
// clock (so Asia/Kolkata gets ticks at 06:00 local, not at 05:30).

import { tzOffsetMinutes } from './format';

export interface Linear {
  (v: number): number;
  domain: [number, number];
}

export function linear(d0: number, d1: number, r0: number, r1: number): Linear {
  const span = d1 - d0 || 1;
  const f = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Linear;
  f.domain = [d0, d1];
  return f;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

// Extends [lo, hi] to multiples of a 1-2-2.5-5 step and returns the ticks inside it.
export function niceDomain(lo: number, hi: number, count = 5): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  const d0 = Math.floor(lo / step) * step;
  const d1 = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = d0; v <= d1 + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return { domain: [d0, d1], ticks };
}

const kHourMs = 3_600_000;
const kTimeSteps = [1, 2, 3, 6, 12, 24].map((h) => h * kHourMs);

// Ticks between fromMs and toMs at whole local hours of `tz`, at most `maxTicks` of them.
export function timeTicks(fromMs: number, toMs: number, tz: string | undefined, maxTicks: number): number[] {
  const span = toMs - fromMs;
  const step = kTimeSteps.find((s) => span / s <= maxTicks) ?? kTimeSteps[kTimeSteps.length - 1]!;
  const offsetMs = tzOffsetMinutes(fromMs, tz) * 60_000;
  const first = Math.ceil((fromMs + offsetMs) / step) * step - offsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= toMs; t += step) ticks.push(t);
  return ticks;
}

// Index of the point whose time is nearest to t (points sorted by time).
export function nearestIndex(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid;
    else hi = mid;
  }
  return Math.abs(times[lo]! - t) <= Math.abs(times[hi]! - t) ? lo : hi;
}
