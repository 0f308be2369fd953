// Time-series chart in plain SVG: axes, a line broken at gaps (null values or missing points),
// the hourly min..max band under the mean when bucketed data is shown, and a hover/keyboard
// readout. Re-rendered from scratch on every change; a day of 5-minute points is under 300.

import { formatTime, formatValue, svg, el } from './format';
import { linear, nearestIndex, niceDomain, timeTicks, type Linear } from './scales';

export interface ChartPoint {
  t: number; // epoch ms
  v: number | null; // raw value or bucket mean; null = masked / missing
  lo?: number | null; // bucket min
  hi?: number | null; // bucket max
  count?: number;
  flags?: string[];
}

export interface ChartData {
  points: ChartPoint[];
  bucketed: boolean;
  stepMs: number; // expected spacing; larger holes are drawn as gaps
  fromMs: number;
  toMs: number;
  unit: string;
  metricLabel: string;
  stationName: string;
  timezone: string;
  zeroBased: boolean;
}

const kHeight = 300;
const kMargin = { top: 24, right: 18, bottom: 34, left: 58 };

interface Frame {
  x: Linear;
  y: Linear;
  width: number;
  yTicks: number[];
}

function valueExtent(d: ChartData): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of d.points) {
    for (const v of [p.v, p.lo, p.hi]) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (d.zeroBased && lo >= 0) lo = 0;
  return [lo, hi];
}

function makeFrame(d: ChartData, width: number): Frame {
  const [lo, hi] = valueExtent(d);
  const { domain, ticks } = niceDomain(lo, hi, 5);
  return {
    x: linear(d.fromMs, d.toMs, kMargin.left, width - kMargin.right),
    y: linear(domain[0], domain[1], kHeight - kMargin.bottom, kMargin.top),
    width,
    yTicks: ticks,
  };
}

// Splits the points into runs without nulls or holes longer than 2.5 expected steps.
function segments(d: ChartData, pick: (p: ChartPoint) => boolean): ChartPoint[][] {
  const runs: ChartPoint[][] = [];
  let run: ChartPoint[] = [];
  let prevT = -Infinity;
  for (const p of d.points) {
    const ok = pick(p);
    if (!ok || p.t - prevT > d.stepMs * 2.5) {
      if (run.length) runs.push(run);
      run = [];
    }
    if (ok) run.push(p);
    prevT = p.t;
  }
  if (run.length) runs.push(run);
  return runs;
}

function drawAxes(g: SVGGElement, d: ChartData, f: Frame): void {
  const bottom = kHeight - kMargin.bottom;
  for (const v of f.yTicks) {
    const y = f.y(v).toFixed(1);
    g.append(svg('line', { class: 'grid', x1: kMargin.left, x2: f.width - kMargin.right, y1: y, y2: y }));
    g.append(svg('text', { class: 'tick y', x: kMargin.left - 8, y, dy: '0.32em', text: formatValue(v) }));
  }
  const maxTicks = Math.max(2, Math.floor((f.width - kMargin.left - kMargin.right) / 70));
  for (const t of timeTicks(d.fromMs, d.toMs, d.timezone, maxTicks)) {
    const x = f.x(t).toFixed(1);
    const label = formatTime(t, d.timezone);
    g.append(svg('line', { class: 'tick-mark', x1: x, x2: x, y1: bottom, y2: bottom + 5 }));
    g.append(svg('text', { class: 'tick x', x, y: bottom + 18, text: label === '00:00' ? formatTime(t, d.timezone, true) : label }));
  }
  g.append(svg('line', { class: 'axis', x1: kMargin.left, x2: f.width - kMargin.right, y1: bottom, y2: bottom }));
  g.append(svg('text', { class: 'unit-label', x: kMargin.left - 8, y: 10, text: d.unit }));
}

function drawSeries(g: SVGGElement, d: ChartData, f: Frame): void {
  const xy = (p: ChartPoint, v: number): string => `${f.x(p.t).toFixed(1)},${f.y(v).toFixed(1)}`;
  if (d.bucketed) {
    const bandRuns = segments(d, (p) => Number.isFinite(p.lo ?? NaN) && Number.isFinite(p.hi ?? NaN));
    for (const run of bandRuns) {
      const upper = run.map((p) => xy(p, p.hi!));
      const lower = run.slice().reverse().map((p) => xy(p, p.lo!));
      const dPath = run.length === 1
        ? `M${f.x(run[0]!.t) - 2},${f.y(run[0]!.hi!)}h4V${f.y(run[0]!.lo!)}h-4Z`
        : `M${upper.join('L')}L${lower.join('L')}Z`;
      g.append(svg('path', { class: 'series-band', d: dPath }));
    }
  }
  for (const run of segments(d, (p) => p.v !== null && Number.isFinite(p.v))) {
    if (run.length === 1) {
      const p = run[0]!;
      g.append(svg('circle', { class: 'series-point', cx: f.x(p.t).toFixed(1), cy: f.y(p.v!).toFixed(1), r: 2.5 }));
    } else {
      g.append(svg('path', { class: 'series-line', d: `M${run.map((p) => xy(p, p.v!)).join('L')}` }));
    }
  }
}

function readoutText(d: ChartData, p: ChartPoint): string {
  const when = formatTime(p.t, d.timezone, true);
  if (p.v === null || !Number.isFinite(p.v)) {
    const why = p.flags?.length ? ` (${p.flags.join(', ')})` : '';
    return `${when} — no value${why}`;
  }
  const main = `${when} — ${d.bucketed ? 'mean ' : ''}${formatValue(p.v)} ${d.unit}`;
  if (!d.bucketed) return p.flags?.length ? `${main} [${p.flags.join(', ')}]` : main;
  return `${main} (min ${formatValue(p.lo)}, max ${formatValue(p.hi)}, n=${p.count ?? 0})`;
}

function attachReadout(container: HTMLElement, root: SVGSVGElement, d: ChartData, f: Frame): void {
  const readout = el('div', { class: 'chart-readout', role: 'status', 'aria-live': 'polite' });
  readout.hidden = true;
  const rule = svg('line', { class: 'hover-rule', y1: kMargin.top, y2: kHeight - kMargin.bottom, visibility: 'hidden' });
  const dot = svg('circle', { class: 'hover-dot', r: 4, visibility: 'hidden' });
  root.append(rule, dot);
  container.append(readout);
  const times = d.points.map((p) => p.t);
  let current = -1;

  const show = (i: number): void => {
    const p = d.points[i];
    if (!p) return;
    current = i;
    const x = f.x(p.t);
    rule.setAttribute('x1', x.toFixed(1));
    rule.setAttribute('x2', x.toFixed(1));
    rule.setAttribute('visibility', 'visible');
    if (p.v !== null && Number.isFinite(p.v)) {
      dot.setAttribute('cx', x.toFixed(1));
      dot.setAttribute('cy', f.y(p.v).toFixed(1));
      dot.setAttribute('visibility', 'visible');
    } else {
      dot.setAttribute('visibility', 'hidden');
    }
    readout.textContent = readoutText(d, p);
    readout.hidden = false;
    const frac = (x - kMargin.left) / Math.max(1, f.width - kMargin.left - kMargin.right);
    readout.classList.toggle('right', frac > 0.55);
    readout.style.left = `${(x / f.width) * 100}%`;
  };
  const hide = (): void => {
    rule.setAttribute('visibility', 'hidden');
    dot.setAttribute('visibility', 'hidden');
    readout.hidden = true;
  };

  root.addEventListener('pointermove', (e) => {
    const box = root.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * f.width;
    const t = d.fromMs + ((px - kMargin.left) / (f.width - kMargin.left - kMargin.right)) * (d.toMs - d.fromMs);
    show(nearestIndex(times, t));
  });
  root.addEventListener('pointerleave', hide);
  root.addEventListener('blur', hide);
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const last = d.points.length - 1;
    const next = current < 0 ? last : current + (e.key === 'ArrowLeft' ? -1 : 1);
    show(Math.min(last, Math.max(0, next)));
  });
}

export function renderChart(container: HTMLElement, d: ChartData | null, message: string): void {
  if (!d || !d.points.some((p) => p.v !== null && Number.isFinite(p.v))) {
    container.replaceChildren(el('p', { class: 'chart-empty', text: message }));
    return;
  }
  const width = Math.max(320, Math.round(container.clientWidth || 800));
  const f = makeFrame(d, width);
  const root = svg('svg', {
    class: 'timeseries-chart',
    viewBox: `0 0 ${width} ${kHeight}`,
    width: '100%',
    height: kHeight,
    role: 'img',
    tabindex: 0,
    'aria-label': `${d.metricLabel} at ${d.stationName} over the last 24 hours, in ${d.unit}. ` +
      'Use the left and right arrow keys to read values.',
  });
  const g = svg('g');
  drawAxes(g, d, f);
  drawSeries(g, d, f);
  root.append(g);
  container.replaceChildren(root);
  attachReadout(container, root, d, f);
}
