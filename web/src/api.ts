// Typed client for the envmon HTTP API (same origin). Every call either resolves with the parsed
// body or rejects with an ApiError carrying a message fit to show to people: the page must never
// go blank because the server is down or answered with an error.

export interface AqiSummary {
  value: number;
  category: string;
  color?: string;
  observed_at: string;
}

export interface Station {
  id: string;
  name: string;
  lat: number;
  lon: number;
  timezone: string;
  region: string;
  aqi_us: AqiSummary | null;
  aqi_in: AqiSummary | null;
}

export type MetricKind = 'weather' | 'pollutant' | 'index';

export interface MetricInfo {
  id: string;
  unit: string;
  display_unit: string;
  kind: MetricKind;
  min: number;
  max: number;
  description: string;
}

export interface LatestMeasurement {
  metric: string;
  value: number | null;
  unit: string;
  observed_at: string;
  source: string;
  flags: string[];
}

export interface LatestResponse {
  station: string;
  measurements: LatestMeasurement[];
}

export interface RawPoint {
  t: string;
  value: number | null;
  flags?: string[];
  source?: string;
}

export interface BucketPoint {
  t: string;
  mean: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

interface ObservationsBase {
  station: string;
  metric: string;
  unit: string;
  from: string;
  to: string;
}

export interface RawObservations extends ObservationsBase {
  bucket: null;
  points: RawPoint[];
}

export interface BucketObservations extends ObservationsBase {
  bucket: string;
  bucket_secs: number;
  points: BucketPoint[];
}

export type Observations = RawObservations | BucketObservations;

export function isBucketed(o: Observations): o is BucketObservations {
  return o.bucket !== null && o.bucket !== undefined;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number, // 0 when the server could not be reached at all
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const kTimeoutMs = 15_000;

// The API's error body: {"error":{"status":400,"code":"..","message":"..","parameter":".."}}.
function errorMessageFromBody(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const err = (body as { error?: unknown }).error;
  if (typeof err !== 'object' || err === null) return null;
  const { message, code, parameter } = err as { message?: unknown; code?: unknown; parameter?: unknown };
  if (typeof message !== 'string') return null;
  const where = typeof parameter === 'string' && parameter ? ` (parameter "${parameter}")` : '';
  const what = typeof code === 'string' && code ? `${code}: ` : '';
  return `${what}${message}${where}`.replace(/[.\s]*$/, '.');
}

async function getJson<T>(path: string): Promise<T> {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), kTimeoutMs);
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal: controller.signal });
  } catch (e) {
    const why = controller.signal.aborted ? `no answer within ${kTimeoutMs / 1000} s` : String(e);
    throw new ApiError(`The envmon API is unreachable (${why}).`, 0, path);
  } finally {
    window.clearTimeout(timer);
  }
  let body: unknown = null;
  const text = await response.text();
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = errorMessageFromBody(body) ?? `HTTP ${response.status} ${response.statusText}`.trim() + '.';
    throw new ApiError(`The envmon API answered ${path} with an error: ${detail}`, response.status, path);
  }
  if (body === null) {
    throw new ApiError(`The envmon API sent a response to ${path} that is not JSON.`, response.status, path);
  }
  return body as T;
}

// The API takes RFC 3339 timestamps; whole seconds keep them short and unambiguous.
export function toRfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export async function fetchStations(): Promise<Station[]> {
  const body = await getJson<{ stations?: Station[] }>('api/v1/stations');
  return Array.isArray(body.stations) ? body.stations : [];
}

export async function fetchMetrics(): Promise<MetricInfo[]> {
  const body = await getJson<{ metrics?: MetricInfo[] }>('api/v1/metrics');
  return Array.isArray(body.metrics) ? body.metrics : [];
}

export async function fetchLatest(stationId: string): Promise<LatestResponse> {
  const body = await getJson<LatestResponse>(`api/v1/stations/${encodeURIComponent(stationId)}/latest`);
  return { station: body.station ?? stationId, measurements: Array.isArray(body.measurements) ? body.measurements : [] };
}

export interface ObservationQuery {
  station: string;
  metric: string;
  fromMs: number;
  toMs: number;
  bucket?: string; // e.g. "1h"; absent for raw points
}

export async function fetchObservations(q: ObservationQuery): Promise<Observations> {
  const params = new URLSearchParams({
    station: q.station,
    metric: q.metric,
    from: toRfc3339(q.fromMs),
    to: toRfc3339(q.toMs),
  });
  if (q.bucket) params.set('bucket', q.bucket);
  const body = await getJson<Observations>(`api/v1/observations?${params.toString()}`);
  if (!Array.isArray(body.points)) body.points = [];
  return body;
}

// Anomalies found by the online scoring stage (GET /api/v1/anomalies), newest first.
export interface Anomaly {
  station: string;
  metric: string;
  at: string;
  detector: string;
  score: number;
  value: number | null;
  explanation: { direction?: string; baseline?: number; related_metrics?: Record<string, number> } | null;
}

export async function fetchAnomalies(stationId: string, limit = 5): Promise<Anomaly[]> {
  const params = new URLSearchParams({ station: stationId, limit: String(limit) });
  const body = await getJson<{ anomalies?: Anomaly[] }>(`api/v1/anomalies?${params.toString()}`);
  return Array.isArray(body.anomalies) ? body.anomalies : [];
}

// Station cluster labels of the newest clustering model (GET /api/v1/clusters).
export interface ClusterLabel {
  station: string;
  cluster: number;
  silhouette: number;
}

export interface Clusters {
  model: string | null;
  stations: ClusterLabel[];
}

export async function fetchClusters(): Promise<Clusters> {
  const body = await getJson<Clusters>('api/v1/clusters');
  return { model: body.model ?? null, stations: Array.isArray(body.stations) ? body.stations : [] };
}
