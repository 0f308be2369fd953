#!/usr/bin/env node
// Development stand-in for the envmon API: serves web/dist at "/" plus the API contract from
// canned fixtures (dev/fixtures/*.json). Observations are synthesised deterministically from the
// latest values (a daily wave plus hashed noise, a masked stretch and a missing stretch), so the
// chart has something realistic to draw. Not part of the product.
//
//   node dev/fixture-server.mjs [--port 8090] [--host 127.0.0.1] [--dist DIR] [--fail-api]
//
// --fail-api answers every /api request with a 503 error body, to check the page's error banner.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = { port: 8090, host: '127.0.0.1', dist: resolve(here, '..', 'dist'), failApi: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--dist') opts.dist = resolve(argv[++i]);
    else if (a === '--fail-api') opts.failApi = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port needs 0..65535');
  return opts;
}

const load = async (name) => JSON.parse(await readFile(join(here, 'fixtures', name), 'utf8'));
const [stations, metrics, latest] = await Promise.all([load('stations.json'), load('metrics.json'), load('latest.json')]);
const metricById = new Map(metrics.metrics.map((m) => [m.id, m]));
const kStepMs = 5 * 60_000;
const kNewestMs = Math.max(...stations.stations.flatMap((s) => [s.aqi_us, s.aqi_in]).filter(Boolean).map((a) => Date.parse(a.observed_at)));

function hash(str) {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

// One raw point at time t: null inside a 40-minute masked stretch 6 h before the newest reading,
// absent (gap) for 50 minutes 15 h before it.
function rawPoint(station, metric, t) {
  const ago = kNewestMs - t;
  if (ago > 15 * 3600e3 && ago <= 15 * 3600e3 + 50 * 60e3) return null;
  const t0 = new Date(t).toISOString().replace('.000Z', 'Z');
  if (ago >= 6 * 3600e3 && ago < 6 * 3600e3 + 40 * 60e3) return { t: t0, value: null, flags: ['spike'], source: 'sim' };
  const info = metricById.get(metric);
  const last = latest[station]?.measurements.find((m) => m.metric === metric)?.value ?? (info.min + info.max) / 20;
  const phase = hash(station + metric) * Math.PI * 2;
  const wave = Math.sin((2 * Math.PI * t) / 86_400_000 + phase);
  const noise = hash(`${station}${metric}${t}`) - 0.5;
  const scale = Math.abs(last) > 1 ? Math.abs(last) : 1;
  const amp = metric === 'pressure' ? 4 : metric === 'temperature' ? 5 : scale * 0.35;
  let value = last + amp * wave + amp * 0.35 * noise;
  value = Math.min(info.max, Math.max(info.min, value));
  const flags = hash(`${t}${metric}f`) < 0.03 ? ['interpolated'] : [];
  return { t: t0, value: Math.round(value * 10) / 10, flags, source: 'sim' };
}

function observations(q) {
  const station = q.get('station');
  const metric = q.get('metric');
  const from = Date.parse(q.get('from') ?? '');
  const to = Date.parse(q.get('to') ?? '');
  if (!station) return error(400, 'missing_parameter', 'station is required', 'station');
  if (!stations.stations.some((s) => s.id === station)) return error(404, 'unknown_station', `no station "${station}"`, 'station');
  if (!metricById.has(metric)) return error(400, 'unknown_metric', `no metric "${metric}"`, 'metric');
  if (!Number.isFinite(from)) return error(400, 'bad_time', 'from must be RFC 3339', 'from');
  if (!Number.isFinite(to) || to <= from) return error(400, 'bad_time', 'to must be RFC 3339 and after from', 'to');
  const unit = metricById.get(metric).unit;
  const points = [];
  for (let t = Math.ceil(from / kStepMs) * kStepMs; t < Math.min(to, kNewestMs + 1); t += kStepMs) {
    const p = rawPoint(station, metric, t);
    if (p) points.push(p);
  }
  const base = { station, metric, unit, from: q.get('from'), to: q.get('to') };
  const bucket = q.get('bucket');
  if (!bucket) return [200, { ...base, bucket: null, points }];
  if (bucket !== '1h') return error(400, 'bad_bucket', 'bucket must be 1h in the fixture server', 'bucket');
  const byHour = new Map();
  for (const p of points) {
    const h = Math.floor(Date.parse(p.t) / 3600e3) * 3600e3;
    if (!byHour.has(h)) byHour.set(h, []);
    if (p.value !== null) byHour.get(h).push(p.value);
  }
  const buckets = [...byHour.entries()].map(([h, vs]) => ({
    t: new Date(h).toISOString().replace('.000Z', 'Z'),
    mean: vs.length ? Math.round((vs.reduce((a, b) => a + b, 0) / vs.length) * 10) / 10 : null,
    min: vs.length ? Math.min(...vs) : null,
    max: vs.length ? Math.max(...vs) : null,
    count: vs.length,
  }));
  return [200, { ...base, bucket: '1h', bucket_secs: 3600, points: buckets }];
}

function error(status, code, message, parameter = null) {
  return [status, { error: { status, code, message, parameter } }];
}

function api(path, q) {
  if (path === '/api/v1/stations') return [200, stations];
  if (path === '/api/v1/metrics') return [200, metrics];
  if (path === '/api/v1/observations') return observations(q);
  if (path === '/api/v1/anomalies') return [200, { station: q.get('station'), count: 0, anomalies: [] }];
  if (path === '/api/v1/clusters') return [200, { model: null, computed_at: null, stations: [], clusters: [] }];
  const m = /^\/api\/v1\/stations\/([^/]+)\/latest$/.exec(path);
  if (m) {
    const id = decodeURIComponent(m[1]);
    return latest[id] ? [200, latest[id]] : error(404, 'unknown_station', `no station "${id}"`, 'station');
  }
  return error(404, 'not_found', `no route ${path}`);
}

const kTypes = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };

async function serveStatic(dist, path, res) {
  const rel = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dist, rel);
  if (!file.startsWith(dist)) return send(res, 403, 'text/plain', 'forbidden');
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    return send(res, 200, kTypes[extname(file)] ?? 'application/octet-stream', await readFile(file));
  } catch {
    return send(res, 404, 'text/plain', `not found: ${path} (did you run "npm run build"?)`);
  }
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

const opts = parseArgs(process.argv.slice(2));
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/ready' || url.pathname === '/health') return send(res, 200, 'application/json', '{"status":"ok"}');
  if (url.pathname.startsWith('/api/')) {
    const [status, body] = opts.failApi ? error(503, 'unavailable', 'fixture server started with --fail-api') : api(url.pathname, url.searchParams);
    return send(res, status, 'application/json', JSON.stringify(body));
  }
  return serveStatic(opts.dist, url.pathname, res);
});
server.listen(opts.port, opts.host, () => {
  const { port } = server.address();
  console.log(`fixture server: http://${opts.host}:${port}/ (dist ${opts.dist})`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
