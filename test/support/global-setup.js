// Runs once per jest run: finds out which real services are up, so that infrastructure suites can run or say
// plainly why they were skipped. With TERMLINE_REQUIRE_INFRA=1 (npm run test:infra, CI) a missing service fails
// the run instead.
const net = require('node:net');

const SERVICES = [
  { name: 'Kafka', flag: 'TERMLINE_KAFKA_UP', url: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
  {
    name: 'MongoDB',
    flag: 'TERMLINE_MONGO_UP',
    url: mongoHostPort(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017'),
  },
];

function mongoHostPort(uri) {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^/,?]+)/.exec(uri);
  return match ? match[1] : '127.0.0.1:27017';
}

function reachable(hostPort) {
  const [host, port] = hostPort.split(',')[0].split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

module.exports = async function globalSetup() {
  const missing = [];
  for (const service of SERVICES) {
    const up = await reachable(service.url);
    process.env[service.flag] = up ? '1' : '0';
    if (!up) missing.push(`${service.name} (${service.url})`);
  }
  if (missing.length === 0) return;
  if (process.env.TERMLINE_REQUIRE_INFRA === '1') {
    throw new Error(
      `Infrastructure required but not reachable: ${missing.join(', ')}. Run: npm run infra:up`,
    );
  }
  console.warn(
    `\n[termline] Not reachable: ${missing.join(', ')}. Their integration and end-to-end suites are SKIPPED.` +
      `\n[termline] Start them with 'npm run infra:up', or run 'npm run test:infra', which fails instead of skipping.\n`,
  );
};
