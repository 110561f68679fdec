import { hashApiKey, loadConfig } from './config';

describe('configuration', () => {
  it('has defaults that run the embedded mode on port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      maxContentBytes: 16 * 1024 * 1024,
      maxBodyBytesInFlight: 256 * 1024 * 1024,
      maxConnections: 4096,
      minBodyBytesPerSecond: 256 * 1024,
      apiKeys: [],
    });
    expect(loadConfig({ TERMLINE_MIN_BODY_BYTES_PER_SECOND: '0' }).minBodyBytesPerSecond).toBe(0);
    expect(() => loadConfig({ TERMLINE_MIN_BODY_BYTES_PER_SECOND: '-1' })).toThrow(
      /TERMLINE_MIN_BODY_BYTES_PER_SECOND/,
    );
    expect(() => loadConfig({ TERMLINE_MAX_CONNECTIONS: '0' })).toThrow(/TERMLINE_MAX_CONNECTIONS/);
    expect(() => loadConfig({ TERMLINE_MAX_BODY_BYTES_IN_FLIGHT: '1000' })).toThrow(
      /TERMLINE_MAX_BODY_BYTES_IN_FLIGHT/,
    );
  });

  it('signs exports only when a signing key file is configured', () => {
    expect(loadConfig({}).exportSigningKeyFile).toBeNull();
    expect(loadConfig({ TERMLINE_EXPORT_SIGNING_KEY_FILE: '/keys/export.pem' }).exportSigningKeyFile).toBe(
      '/keys/export.pem',
    );
  });

  it('answers exports up to 8 MiB inline, keeps export jobs a day and lets 4 wait, unless configured otherwise', () => {
    expect(loadConfig({})).toMatchObject({
      exportInlineMaxBytes: 8 * 1024 * 1024,
      exportJobTtlHours: 24,
      exportMaxPending: 4,
    });
    expect(
      loadConfig({
        TERMLINE_EXPORT_INLINE_MAX_BYTES: '0',
        TERMLINE_EXPORT_JOB_TTL_HOURS: '2',
        TERMLINE_EXPORT_MAX_PENDING: '1',
      }),
    ).toMatchObject({ exportInlineMaxBytes: 0, exportJobTtlHours: 2, exportMaxPending: 1 });
    expect(() => loadConfig({ TERMLINE_EXPORT_JOB_TTL_HOURS: '0' })).toThrow(/TERMLINE_EXPORT_JOB_TTL_HOURS/);
    expect(() => loadConfig({ TERMLINE_EXPORT_MAX_PENDING: '0' })).toThrow(/TERMLINE_EXPORT_MAX_PENDING/);
  });

  it('lists every bad variable at once', () => {
    expect(() =>
      loadConfig({
        PORT: 'eighty',
        KAFKA_BROKERS: 'nohost',
        MONGODB_URI: 'http://x',
        TERMLINE_API_KEYS: '{',
        TERMLINE_ADMIN_KEY: 'short',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringContaining('KAFKA_BROKERS'),
          expect.stringContaining('MONGODB_URI'),
          expect.stringContaining('TERMLINE_ADMIN_KEY'),
          expect.stringContaining('TERMLINE_API_KEYS'),
          expect.stringContaining('PORT'),
        ],
      }),
    );
  });

  it('keeps API keys hashed only, and adds the admin key from the environment', () => {
    const config = loadConfig({
      TERMLINE_ADMIN_KEY: 'a-very-long-admin-key',
      TERMLINE_API_KEYS: JSON.stringify([{ name: 'bot', role: 'ingest', sha256: hashApiKey('bot-key') }]),
    });
    expect(config.apiKeys).toEqual([
      { name: 'bot', role: 'ingest', sha256: hashApiKey('bot-key') },
      { name: 'admin (TERMLINE_ADMIN_KEY)', role: 'admin', sha256: hashApiKey('a-very-long-admin-key') },
    ]);
    expect(JSON.stringify(config.apiKeys)).not.toContain('bot-key');
  });

  it('refuses a key entry with an unknown role', () => {
    expect(() =>
      loadConfig({
        TERMLINE_API_KEYS: JSON.stringify([{ name: 'x', role: 'root', sha256: hashApiKey('k') }]),
      }),
    ).toThrow(/role must be one of/);
  });
});
