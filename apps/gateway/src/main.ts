import { startDistributed } from '@termline/platform';
import { GatewayModule } from './gateway.module';
import { configureHttp } from './http/configure-http';

startDistributed('Gateway', GatewayModule, async (app, config) => {
  configureHttp(app);
  await app.listen(config.port, config.host);
}).catch(() => process.exit(1));
