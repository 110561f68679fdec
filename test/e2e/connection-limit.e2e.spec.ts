import { tempDir } from '@termline/testing';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAllInOneApp } from '../../apps/termline/src/all-in-one.app';
import { configFor } from './system.scenarios';

/**
 * Connections held open without a request (embedded mode, real sockets): past TERMLINE_MAX_CONNECTIONS a new one
 * is closed at once instead of taking a file descriptor, and the service answers again once they are gone. Without
 * the limit, 19,500 such connections held the process at its descriptor limit for about 90 s.
 */
describe('Connections held open by a client', () => {
  it('closes connections past the limit at once and serves again when the idle ones go', async () => {
    const dir = tempDir('termline-connections-');
    const app = await createAllInOneApp(
      configFor({ TERMLINE_DATA_DIR: dir.path, TERMLINE_MAX_CONNECTIONS: '8' }),
      'embedded',
    );
    const idle: Socket[] = [];
    try {
      await app.listen(0, '127.0.0.1');
      const server = app.getHttpServer() as Server;
      const { port } = server.address() as AddressInfo;
      const health = async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } }))
            .status;
        } catch {
          return 'refused';
        }
      };
      expect(await health()).toBe(200);

      // Eight connections that start a request and never finish its headers.
      for (let i = 0; i < 8; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
        idle.push(socket);
      }
      await waitUntil(async () => (await connections(server)) >= 8);
      expect(await health()).toBe('refused');

      for (const socket of idle) socket.destroy();
      await waitUntil(async () => (await connections(server)) === 0);
      expect(await health()).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
      await app.close();
      dir.remove();
    }
  }, 60_000);
});

const connections = (server: Server) =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached in 5 s');
}
