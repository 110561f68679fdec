import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { readJsonBody } from './json-body';

/**
 * Integration tier: readJsonBody on a real loopback HTTP server, for what a client can do to a body in flight.
 * (Reading at speed, too large and too slow go through the whole system in body-budget.e2e.)
 */
describe('readJsonBody on a real connection', () => {
  it('answers a body whose client hung up before it was read, instead of waiting for events that have passed', async () => {
    const outcome = new Promise<unknown>((resolve) => {
      const server = createServer((req: IncomingMessage) => {
        // The request waits its turn (as behind the body budget) while the client goes away.
        req.socket.once('close', () => {
          setTimeout(() => {
            readJsonBody(req as Request, 1024 * 1024, 0).then(resolve, resolve);
            server.close();
          }, 50);
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const client = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': 1000 },
        });
        client.on('error', () => undefined);
        client.write('{"a":');
        // Hang up once the server has the request.
        setTimeout(() => client.destroy(), 100);
      });
    });
    const result = await Promise.race([
      outcome,
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000).unref()),
    ]);
    expect(result).toMatchObject({ status: 400 });
  });
});
