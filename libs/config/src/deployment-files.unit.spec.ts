import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './config';

/**
 * What a container user depends on, read from docker-compose.yml and the Dockerfile: where the servers listen,
 * which program each app container runs, that each gets the environment its config needs, and health checks.
 */
const root = join(__dirname, '..', '..', '..');

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

// Compose files share settings with anchors and `<<` merge keys, which the core schema leaves off.
const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), {
  schema: CORE_SCHEMA.withTags(mergeTag),
}) as { services: Record<string, ComposeService> };
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
/** The instructions of the image that runs (the last stage), continuation lines joined. */
const finalStage = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split(/^FROM /m)
  .pop()!
  .split('\n');
const dockerfileEnv = Object.fromEntries(
  finalStage
    .filter((line) => line.startsWith('ENV '))
    .flatMap((line) => [...line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
);
const APPS = ['gateway', 'versioning', 'projection'] as const;

/** The environment compose gives a service, with the variables it takes from the user's shell filled in. */
const environmentOf = (service: ComposeService): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'a-key-the-user-sets-0123456789'),
    ]),
  );

describe('docker-compose.yml', () => {
  it.each(APPS)('runs the %s app with its own entry point, which the build produces', (app) => {
    const command = compose.services[app]!.command!;
    expect(command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(existsSync(join(root, 'apps', app, 'src', 'main.ts'))).toBe(true);
  });

  it.each(APPS)('binds the %s app to all interfaces, so that a published port reaches it', (app) => {
    expect(environmentOf(compose.services[app]!).HOST).toBe('0.0.0.0');
  });

  it.each(APPS)(
    'gives the %s app an environment its config accepts, pointing at the compose services',
    (app) => {
      const config = loadConfig(environmentOf(compose.services[app]!));
      for (const broker of config.kafkaBrokers) {
        const [host, port] = broker.split(':');
        expect(compose.services[host!]).toBeDefined();
        expect(String(compose.services.kafka!.environment!.KAFKA_LISTENERS)).toContain(`://:${port}`);
      }
      expect(compose.services[new URL(config.mongoUri).hostname]).toBeDefined();
      expect(config.adminKey).not.toBeNull();
      expect(compose.services[app]!.depends_on).toEqual({
        kafka: { condition: 'service_healthy' },
        mongo: { condition: 'service_healthy' },
      });
    },
  );

  it('publishes the gateway port it listens on, and checks its health there', () => {
    const gateway = compose.services.gateway!;
    const port = loadConfig(environmentOf(gateway)).port;
    expect(gateway.ports).toContainEqual(expect.stringMatching(new RegExp(`:${port}$`)));
    expect(gateway.healthcheck!.test!.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
  });

  it('has health checks for the infrastructure, and none (the image default) for the HTTP-less workers', () => {
    expect(compose.services.kafka!.healthcheck!.test).toBeDefined();
    expect(compose.services.mongo!.healthcheck!.test).toBeDefined();
    expect(compose.services.versioning!.healthcheck).toEqual({ disable: true });
    expect(compose.services.projection!.healthcheck).toEqual({ disable: true });
  });
});

describe('Dockerfile', () => {
  it('runs the embedded all-in-one by default, listening on all interfaces, as an unprivileged user', () => {
    expect(finalStage).toContain('CMD ["node", "dist/apps/termline/src/main.js"]');
    expect(existsSync(join(root, 'apps', 'termline', 'src', 'main.ts'))).toBe(true);
    expect(dockerfileEnv.HOST).toBe('0.0.0.0');
    expect(finalStage).toContain('USER node');
    expect(loadConfig(dockerfileEnv)).toMatchObject({ host: '0.0.0.0', port: 3000 });
  });

  it('keeps the embedded data in a volume the unprivileged user owns', () => {
    const dataDir = dockerfileEnv.TERMLINE_DATA_DIR!;
    expect(finalStage).toContain(`VOLUME ${dataDir}`);
    expect(finalStage.join('\n')).toContain(`chown node:node ${dataDir}`);
  });

  it('exposes the port it listens on and checks /health there', () => {
    expect(finalStage).toContain(`EXPOSE ${dockerfileEnv.PORT}`);
    const healthcheck = finalStage.find((line) => line.startsWith('HEALTHCHECK'));
    expect(healthcheck).toMatch(/process\.env\.PORT \|\| 3000\) \+ '\/health'/);
  });
});
