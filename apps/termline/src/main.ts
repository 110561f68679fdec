import { ConfigError, loadConfig } from '@termline/config';
import { ensureAdminKey } from './admin-key';
import { loadDemoCollection } from './demo/load-demo';
import { createAllInOneApp, logger } from './all-in-one.app';

/** `npm start`: everything in one process, no infrastructure, state under ./data. */
async function main(): Promise<void> {
  const { config, printOnce } = ensureAdminKey(loadConfig());
  const app = await createAllInOneApp(config);
  if (config.loadDemo) {
    const loaded = await loadDemoCollection(app);
    if (loaded > 0) logger.log(`Loaded the demo collection: ${loaded} fetches of fictional services`);
  }
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  logger.log(`Termline (embedded) on ${url} — API docs at ${url}/docs, data in ${config.dataDir}`);
  if (printOnce) {
    logger.warn(`Generated admin API key (shown once, only its hash is stored): ${printOnce}`);
    logger.warn(`Use it as: curl -H "Authorization: Bearer ${printOnce}" ${url}/v1/documents`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
