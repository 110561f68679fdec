import { configureHttp, GatewayModule } from '@termline/gateway';
import { startDistributed } from '@termline/platform';

startDistributed('Gateway', GatewayModule, async (app, config) => {
  configureHttp(app);
  await app.listen(config.port, config.host);
}).catch(() => process.exit(1));
