import { SUBGRAPH_NAMES, type SubgraphName } from '../schema/compose.js';

export { SUBGRAPH_NAMES, type SubgraphName };

/** Everything configurable, parsed once per process from the environment (nothing else reads it). */
export interface AppConfig {
  /** A real MongoDB replica set; undefined = start the embedded server. */
  mongodbUri?: string;
  /** Where the embedded server keeps data; undefined = in memory. */
  dataDir?: string;
  /** Host every listener binds to. */
  host: string;
  gatewayPort: number;
  /**
   * Port each subgraph listens on, the URL the gateway (and other subgraphs) reach it at, and
   * the URL the gateway opens its subscriptions at (over ws(s)) when that is not `url`: instances
   * of their own, so live events do not queue behind queries and mutations.
   */
  subgraphs: Record<SubgraphName, { port: number; url: string; subscriptionUrl?: string }>;
  /** Upper bound for one subgraph call from the gateway. */
  subgraphTimeoutMs: number;
  /** Largest page a connection returns (`first` above it is BAD_USER_INPUT). */
  maxPageSize: number;
  /** Development adds diagnostics (database command counts) to responses. */
  development: boolean;
  /**
   * Whether this process runs its subgraph's background work (outbox consumers, sagas) besides
   * serving its API. Off lets a deployment keep API instances free of orchestration work and run
   * that in worker instances of the same subgraph (leases share it out).
   */
  backgroundWork: boolean;
  /** The order-to-activate saga and its simulated network adapters. */
  activation: ActivationConfig;
  /** Alarms on resources above/below each other raised within this window of each other are correlated (root cause and children). */
  correlationWindowMs: number;
  /** Changes of one alarm within this window reach a live subscriber as one (the latest); a clear always gets through. */
  alarmCoalesceMs: number;
  /** SLA thresholds are checked against the average of a service's measurements over this rolling window. */
  slaEvaluationWindowMs: number;
  /** Billing's revenue-leakage reconciliation against inventory's active services. */
  billingReconciliation: BillingReconciliationConfig;
}

/** How often billing checks every active service for charges, and how new a service may be unbilled. */
export interface BillingReconciliationConfig {
  /** Time between two reconciliations run by a billing worker; 0 = only on demand (`reconcileBilling`). */
  intervalMs: number;
  /** A service activated less than this long ago is not reported yet: its charges may still be on their way. */
  graceMs: number;
}

/** How service orders are orchestrated (order subgraph) and how the simulated network behaves. */
export interface ActivationConfig {
  /** Latency of every simulated network element call (EMS, SDN controller, OLT). */
  adapterLatencyMs: number;
  /** Share (0..1) of simulated network element calls that fail, for chaos runs; 0 in normal use. */
  adapterFailureRate: number;
  /** A saga step running longer than this raises a jeopardy alert and fails its item. */
  stepDeadlineMs: number;
  /** How long an instance owns a service order it claimed before another may take it over (crash recovery). */
  sagaLeaseMs: number;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = 65535): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  return n;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(`${name} must be 'on' or 'off', got '${raw}'`);
  return raw === 'on';
}

function rate(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${name} must be a number between 0 and 1, got '${raw}'`);
  return n;
}

/** Environment variable holding a subgraph's port, e.g. CUSTOMER_PORT. */
export const portVar = (name: SubgraphName) => `${name.toUpperCase()}_PORT`;
/** Environment variable holding a subgraph's URL for the gateway, e.g. CUSTOMER_URL. */
export const urlVar = (name: SubgraphName) => `${name.toUpperCase()}_URL`;

/** Environment variable holding the URL the gateway opens a subgraph's subscriptions at, e.g. ORDER_SUBSCRIPTION_URL. */
export const subscriptionUrlVar = (name: SubgraphName) => `${name.toUpperCase()}_SUBSCRIPTION_URL`;

/** The http(s) URL in `name`, if set. */
function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const url = env[name] || undefined;
  if (url !== undefined && !/^https?:\/\//.test(url)) throw new ConfigError(`${name} must be an http(s) URL, got '${url}'`);
  return url;
}

/** Parses and validates the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const host = env.HOST || '127.0.0.1';
  const subgraphs = {} as AppConfig['subgraphs'];
  SUBGRAPH_NAMES.forEach((name, i) => {
    const port = int(env, portVar(name), 4001 + i);
    const url = httpUrl(env, urlVar(name)) ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/graphql`;
    const subscriptionUrl = httpUrl(env, subscriptionUrlVar(name));
    subgraphs[name] = subscriptionUrl ? { port, url, subscriptionUrl } : { port, url };
  });
  const mongodbUri = env.MONGODB_URI || undefined;
  if (mongodbUri && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) throw new ConfigError(`MONGODB_URI must start with mongodb:// or mongodb+srv://`);
  return {
    mongodbUri,
    dataDir: env.DATA_DIR === 'memory' ? undefined : env.DATA_DIR || '.data/db',
    host,
    gatewayPort: int(env, 'GATEWAY_PORT', 4000),
    subgraphs,
    subgraphTimeoutMs: int(env, 'SUBGRAPH_TIMEOUT_MS', 5000, 1, 600_000),
    maxPageSize: int(env, 'MAX_PAGE_SIZE', 100, 1, 10_000),
    development: (env.NODE_ENV ?? 'development') !== 'production',
    backgroundWork: onOff(env, 'BACKGROUND_WORK', true),
    activation: {
      adapterLatencyMs: int(env, 'ADAPTER_LATENCY_MS', 20, 0, 600_000),
      adapterFailureRate: rate(env, 'ADAPTER_FAILURE_RATE', 0),
      stepDeadlineMs: int(env, 'ACTIVATION_STEP_DEADLINE_MS', 30_000, 1, 3_600_000),
      sagaLeaseMs: int(env, 'SAGA_LEASE_MS', 10_000, 100, 3_600_000),
    },
    correlationWindowMs: int(env, 'CORRELATION_WINDOW_MS', 300_000, 0, 86_400_000),
    alarmCoalesceMs: int(env, 'ALARM_COALESCE_MS', 250, 0, 60_000),
    slaEvaluationWindowMs: int(env, 'SLA_EVALUATION_WINDOW_MS', 300_000, 1_000, 86_400_000),
    billingReconciliation: {
      intervalMs: int(env, 'BILLING_RECONCILE_INTERVAL_MS', 900_000, 0, 86_400_000),
      graceMs: int(env, 'BILLING_RECONCILE_GRACE_MS', 300_000, 0, 86_400_000),
    },
  };
}

/** The environment variables the code reads, for the README and the docker-compose check. */
export const CONFIG_VARIABLES = [
  'MONGODB_URI', 'DATA_DIR', 'HOST', 'GATEWAY_PORT', 'SUBGRAPH_TIMEOUT_MS', 'MAX_PAGE_SIZE', 'NODE_ENV', 'BACKGROUND_WORK',
  'ADAPTER_LATENCY_MS', 'ADAPTER_FAILURE_RATE', 'ACTIVATION_STEP_DEADLINE_MS', 'SAGA_LEASE_MS',
  'CORRELATION_WINDOW_MS',
  'ALARM_COALESCE_MS',
  'SLA_EVALUATION_WINDOW_MS',
  'BILLING_RECONCILE_INTERVAL_MS', 'BILLING_RECONCILE_GRACE_MS',
  ...SUBGRAPH_NAMES.flatMap((n) => [portVar(n), urlVar(n), subscriptionUrlVar(n)]),
];
