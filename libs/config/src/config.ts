import { DEFAULT_MAX_INPUT_BYTES, VOLATILE_MASKS, type VolatileMask } from '@termline/text';
import { createHash } from 'node:crypto';

/**
 * All configuration, read once from the environment at start, validated, typed. A bad value stops the process
 * with the list of every bad variable, not the first one.
 */
export type Role = 'reader' | 'analyst' | 'ingest' | 'admin';
export const ROLES: readonly Role[] = ['reader', 'analyst', 'ingest', 'admin'];

export interface ApiKeyEntry {
  name: string;
  role: Role;
  /** sha256 of the key, hex: keys are never kept in clear. */
  sha256: string;
}

export interface TermlineConfig {
  port: number;
  host: string;
  dataDir: string;
  kafkaBrokers: string[];
  mongoUri: string;
  mongoDatabase: string;
  /** Prefix for topic names, so that several installations (or test runs) can share one broker. */
  topicPrefix: string;
  /** Largest snapshot, in bytes, accepted at ingest and extracted by the text engine (the same number for both). */
  maxContentBytes: number;
  /** Bytes of request bodies the gateway holds at once (fetches, texts to classify); past it a request gets a 503. */
  maxBodyBytesInFlight: number;
  /**
   * Connections the HTTP server keeps open at once; past it new ones are closed at once. Idle connections held open by
   * a client otherwise ran the process out of file descriptors (ADR 0035).
   */
  maxConnections: number;
  /** A request body slower than this (bytes per second, after a grace period) is cut off with a 408; 0: never. */
  minBodyBytesPerSecond: number;
  apiKeys: ApiKeyEntry[];
  /** The admin key given in TERMLINE_ADMIN_KEY, if any (embedded mode generates one otherwise). */
  adminKey: string | null;
  loadDemo: boolean;
  declarationsDir: string | null;
  /** A change reverted within this many hours is a flip-back (recorded, retracted, never two changes). */
  flipBackWindowHours: number;
  /** Parts of a combined document fetched within this many seconds of each other are one fetch round. */
  roundWindowSeconds: number;
  /** Comparison masks switched on besides link targets (see VOLATILE_MASKS). */
  volatileMasks: VolatileMask[];
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** LOG_FORMAT: JSON lines, human-readable lines, or auto (readable only for the embedded mode on a terminal). */
  logFormat: 'json' | 'pretty' | 'auto';
  /** METRICS_PORT: where a worker process (versioning, projection) answers GET /metrics; null: it does not. */
  metricsPort: number | null;
  /** PEM file of the Ed25519 private key that signs export manifests (ADR 0012); null: exports are unsigned. */
  exportSigningKeyFile: string | null;
  /** POST /v1/exports answers the file itself up to this many bytes; a larger export becomes a job (202). */
  exportInlineMaxBytes: number;
  /** A finished (or failed) export job and its file are deleted this many hours after it was created. */
  exportJobTtlHours: number;
  /** Exports queued or being written at once (they are written one at a time); past this a request gets a 429. */
  exportMaxPending: number;
  /** TERMLINE_TEXT_WORKERS: threads that extract, align and diff texts off the event loop; 0: in the calling thread. */
  textWorkers: number;
  /**
   * TERMLINE_WARM_UP: the consumers run the text engine and the classifier once on a sample page (in every text
   * thread) before they subscribe, so that the first documents do not pay for cold code. The test runner turns it off
   * for the processes it starts from the environment (test/support/test-env.js).
   */
  warmUp: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** What an unset variable means: one place, read by loadConfig and by the tools that default the same way. */
export const CONFIG_DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  dataDir: './data',
  kafkaBrokers: '127.0.0.1:9092',
  mongoUri: 'mongodb://127.0.0.1:27017',
  mongoDatabase: 'termline',
  logLevel: 'log',
} as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TermlineConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const kafkaBrokers = (env.KAFKA_BROKERS ?? CONFIG_DEFAULTS.kafkaBrokers)
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of kafkaBrokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(broker))
      problems.push(`KAFKA_BROKERS entries must be host:port, got "${broker}"`);
  }
  const mongoUri = env.MONGODB_URI ?? CONFIG_DEFAULTS.mongoUri;
  if (!/^mongodb(\+srv)?:\/\//.test(mongoUri))
    problems.push(`MONGODB_URI must start with mongodb://, got "${mongoUri}"`);
  const mongoDatabase = env.MONGODB_DATABASE ?? CONFIG_DEFAULTS.mongoDatabase;
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(mongoDatabase))
    problems.push(`MONGODB_DATABASE has characters MongoDB refuses`);
  const topicPrefix = env.TERMLINE_TOPIC_PREFIX ?? '';
  if (!/^[A-Za-z0-9._-]*$/.test(topicPrefix))
    problems.push(`TERMLINE_TOPIC_PREFIX may hold letters, digits, . _ - only`);

  const adminKey =
    env.TERMLINE_ADMIN_KEY && env.TERMLINE_ADMIN_KEY.length > 0 ? env.TERMLINE_ADMIN_KEY : null;
  if (adminKey !== null && adminKey.length < 16)
    problems.push('TERMLINE_ADMIN_KEY must be at least 16 characters');

  const apiKeys: ApiKeyEntry[] = [];
  if (env.TERMLINE_API_KEYS) {
    try {
      const parsed = JSON.parse(env.TERMLINE_API_KEYS) as unknown;
      if (!Array.isArray(parsed)) throw new Error('not an array');
      parsed.forEach((entry: unknown, index) => {
        const e = entry as Partial<ApiKeyEntry>;
        if (typeof e?.name !== 'string' || !e.name)
          problems.push(`TERMLINE_API_KEYS[${index}].name is missing`);
        if (!ROLES.includes(e?.role as Role))
          problems.push(`TERMLINE_API_KEYS[${index}].role must be one of ${ROLES.join(', ')}`);
        if (typeof e?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
          problems.push(`TERMLINE_API_KEYS[${index}].sha256 must be the hex sha256 of the key`);
        }
        if (typeof e?.name === 'string' && ROLES.includes(e.role as Role) && typeof e.sha256 === 'string') {
          apiKeys.push({ name: e.name, role: e.role as Role, sha256: e.sha256 });
        }
      });
    } catch (error) {
      problems.push(
        `TERMLINE_API_KEYS must be a JSON array of {name, role, sha256}: ${(error as Error).message}`,
      );
    }
  }
  if (adminKey)
    apiKeys.push({ name: 'admin (TERMLINE_ADMIN_KEY)', role: 'admin', sha256: hashApiKey(adminKey) });

  const volatileMasks = (env.TERMLINE_VOLATILE_MASKS ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  for (const mask of volatileMasks) {
    if (!(VOLATILE_MASKS as readonly string[]).includes(mask)) {
      problems.push(`TERMLINE_VOLATILE_MASKS: unknown mask "${mask}" (known: ${VOLATILE_MASKS.join(', ')})`);
    }
  }

  const logLevel = (env.LOG_LEVEL ?? CONFIG_DEFAULTS.logLevel) as TermlineConfig['logLevel'];
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel))
    problems.push(`LOG_LEVEL must be error, warn, log or debug`);
  const logFormat = (env.LOG_FORMAT || 'auto') as TermlineConfig['logFormat'];
  if (!['json', 'pretty', 'auto'].includes(logFormat))
    problems.push(`LOG_FORMAT must be json, pretty or auto`);

  const config: TermlineConfig = {
    port: integer('PORT', CONFIG_DEFAULTS.port, 0, 65535),
    host: env.HOST ?? CONFIG_DEFAULTS.host,
    dataDir: env.TERMLINE_DATA_DIR ?? CONFIG_DEFAULTS.dataDir,
    kafkaBrokers,
    mongoUri,
    mongoDatabase,
    topicPrefix,
    // One limit for ingest (the decoder) and extraction (the text engine's cap): what is accepted is extractable.
    maxContentBytes: integer('TERMLINE_MAX_CONTENT_BYTES', DEFAULT_MAX_INPUT_BYTES, 1, 512 * 1024 * 1024),
    maxBodyBytesInFlight: integer(
      'TERMLINE_MAX_BODY_BYTES_IN_FLIGHT',
      256 * 1024 * 1024,
      1024 * 1024,
      64 * 1024 * 1024 * 1024,
    ),
    maxConnections: integer('TERMLINE_MAX_CONNECTIONS', 4096, 8, 1_000_000),
    minBodyBytesPerSecond: integer('TERMLINE_MIN_BODY_BYTES_PER_SECOND', 256 * 1024, 0, 1024 * 1024 * 1024),
    apiKeys,
    adminKey,
    loadDemo: boolean('TERMLINE_DEMO', true),
    declarationsDir: env.TERMLINE_DECLARATIONS_DIR ?? null,
    flipBackWindowHours: integer('TERMLINE_FLIP_BACK_WINDOW_HOURS', 7 * 24, 0, 24 * 365),
    roundWindowSeconds: integer('TERMLINE_ROUND_WINDOW_SECONDS', 600, 0, 24 * 3600),
    volatileMasks: volatileMasks as VolatileMask[],
    logLevel,
    logFormat,
    metricsPort: env.METRICS_PORT ? integer('METRICS_PORT', 0, 0, 65535) : null,
    exportSigningKeyFile: env.TERMLINE_EXPORT_SIGNING_KEY_FILE || null,
    exportInlineMaxBytes: integer('TERMLINE_EXPORT_INLINE_MAX_BYTES', 8 * 1024 * 1024, 0, 1024 * 1024 * 1024),
    exportJobTtlHours: integer('TERMLINE_EXPORT_JOB_TTL_HOURS', 24, 1, 24 * 365),
    exportMaxPending: integer('TERMLINE_EXPORT_MAX_PENDING', 4, 1, 1000),
    textWorkers: integer('TERMLINE_TEXT_WORKERS', 2, 0, 64),
    warmUp: boolean('TERMLINE_WARM_UP', true),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export const TERMLINE_CONFIG = Symbol('TERMLINE_CONFIG');
