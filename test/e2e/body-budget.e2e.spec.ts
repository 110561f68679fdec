import { BodyBudget } from '@termline/gateway';
import { eventually, tempDir, uniqueName } from '@termline/testing';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { aFetch, configFor, INGEST, startSystem, type SystemUnderTest } from './system.scenarios';

/**
 * The gateway's budget of request bodies in hand (TERMLINE_MAX_BODY_BYTES_IN_FLIGHT), through real HTTP in
 * embedded mode: a fetch whose body would go over it while another is being received is refused with a 503 and
 * Retry-After, before anything is read or recorded; one that fits goes through; once the first is handed on, the
 * refused one is taken. Nothing is timed: a body held open by a slow sender makes the overlap certain.
 */

const dir = tempDir('termline-body-budget-');
let system: SystemUnderTest;

beforeAll(async () => {
  const config = configFor({
    TERMLINE_DATA_DIR: dir.path,
    TERMLINE_MAX_CONTENT_BYTES: String(2 * 1024 * 1024),
    TERMLINE_MAX_BODY_BYTES_IN_FLIGHT: String(1024 * 1024),
    TERMLINE_MIN_BODY_BYTES_PER_SECOND: String(64 * 1024),
  });
  system = await startSystem('embedded', config, () => Promise.reject(new Error('not used here')));
}, 60_000);

afterAll(async () => {
  await system?.close();
  dir.remove();
});

/** A fetch of its own document whose JSON body is about `kib` KiB. */
const fetchOfSize = (kib: number) => {
  const service = uniqueName('Budget').replace(/_/g, ' ');
  const paragraph = '<p>We keep the data you give us for thirty days, then delete it.</p>';
  const content = `<html><body><main><h1>Terms</h1>${paragraph.repeat(Math.ceil((kib * 1024) / paragraph.length))}</main></body></html>`;
  return JSON.stringify(aFetch({ service, content }));
};

/** The system's HTTP server, listening on a loopback port (supertest alone would not keep it listening). */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = system.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A fetch posted by hand on its own connection, declaring the whole body's length; the caller sends the bytes. */
const postByHand = (port: number, body: Buffer, onResponse: (res: IncomingMessage) => void): ClientRequest =>
  httpRequest(
    {
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/fetches',
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        authorization: `Bearer ${INGEST}`,
      },
    },
    onResponse,
  );

describe('the budget of request bodies in hand', () => {
  it('refuses a fetch that would go over it while another is received, takes one that fits, then the refused one', async () => {
    const { server, port } = await listening();
    const budget = system.app.get(BodyBudget);
    const http = request(server);

    // A sender that declares 700 KiB and sends half of it: the gateway holds that body's room meanwhile.
    const slow = Buffer.from(fetchOfSize(700));
    let slowStatus = 0;
    const slowAnswered = new Promise<void>((resolve, reject) => {
      const req = postByHand(port, slow, (res) => {
        slowStatus = res.statusCode ?? 0;
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.write(slow.subarray(0, slow.length >> 1));
      void eventually(() => Promise.resolve(budget.heldBytes >= slow.length ? true : undefined)).then(() => {
        void overBudget().then(() => req.end(slow.subarray(slow.length >> 1)), reject);
      }, reject);
    });

    const refusedBody = fetchOfSize(400);
    let refused: request.Response | undefined;
    let fitting: request.Response | undefined;
    const overBudget = async () => {
      refused = await http
        .post('/v1/fetches')
        .set({ Authorization: `Bearer ${INGEST}`, 'Content-Type': 'application/json' })
        .send(refusedBody);
      fitting = await http
        .post('/v1/fetches')
        .set({ Authorization: `Bearer ${INGEST}`, 'Content-Type': 'application/json' })
        .send(fetchOfSize(100));
    };
    await slowAnswered;

    expect(refused?.status).toBe(503);
    expect(refused?.headers['retry-after']).toBe('2');
    expect(refused?.body).toMatchObject({ code: 'busy', status: 503 });
    expect(fitting?.status).toBe(202);
    expect(slowStatus).toBe(202);
    expect(budget.heldBytes).toBe(0);
    // Refused before it was read: nothing of it was recorded, and sent again it is taken.
    const fetchId = (JSON.parse(refusedBody) as { fetchId: string }).fetchId;
    expect((await http.get(`/v1/fetches/${fetchId}`).set({ Authorization: `Bearer ${INGEST}` })).status).toBe(
      404,
    );
    const again = await http
      .post('/v1/fetches')
      .set({ Authorization: `Bearer ${INGEST}`, 'Content-Type': 'application/json' })
      .send(refusedBody);
    expect(again.status).toBe(202);
  }, 60_000);
});

describe('a body that trickles in', () => {
  it('is cut off with a 408 once it falls behind the minimum rate, and gives its room in the budget back', async () => {
    const { server, port } = await listening();
    const budget = system.app.get(BodyBudget);
    const body = Buffer.from(fetchOfSize(700));
    const fetchId = (JSON.parse(body.toString()) as { fetchId: string }).fetchId;
    // Declares 700 KiB, sends 1 KiB and then nothing: without the rule, its room is held for Node's 5 minutes.
    const answer = await new Promise<{ status: number; body: string; closed: boolean }>((resolve, reject) => {
      const req = postByHand(port, body, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          // The server closes the connection after the answer: the rest of the body is never read.
          req.socket?.once('close', () => resolve({ status: res.statusCode ?? 0, body: text, closed: true }));
          if (req.socket?.destroyed) resolve({ status: res.statusCode ?? 0, body: text, closed: true });
        });
      });
      req.on('error', reject);
      req.write(body.subarray(0, 1024));
    });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 408,
      title: 'Request Timeout',
      code: 'body-too-slow',
    });
    expect(answer.closed).toBe(true);
    expect(budget.heldBytes).toBe(0);
    const http = request(server);
    expect((await http.get(`/v1/fetches/${fetchId}`).set({ Authorization: `Bearer ${INGEST}` })).status).toBe(
      404,
    );
    // Sent at speed, the same fetch is taken.
    const again = await http
      .post('/v1/fetches')
      .set({ Authorization: `Bearer ${INGEST}`, 'Content-Type': 'application/json' })
      .send(body.toString());
    expect(again.status).toBe(202);
  }, 60_000);
});
