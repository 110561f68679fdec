import { CLASSIFY_INLINE_BELOW, WorkerPool } from '@termline/platform';
import { SqliteReadModelStore } from '@termline/readmodels';
import { classifyProvision } from '@termline/regulatory';
import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import request from 'supertest';
import { configFor, INGEST, READER, startSystem, type SystemUnderTest } from './system.scenarios';

/** The classifier and the taxonomy over HTTP, in the embedded system (no broker needed). */
describe('POST /v1/classify, GET /v1/categories, GET /v1/regulations (embedded)', () => {
  const dir = tempDir('termline-e2e-classify-');
  let system: SystemUnderTest;
  let http: ReturnType<typeof request>;
  const auth = { Authorization: `Bearer ${READER}` };

  beforeAll(async () => {
    const config = configFor({ TERMLINE_DATA_DIR: dir.path });
    system = await startSystem('embedded', config, () =>
      Promise.resolve(new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'), 'rm_rebuild_')),
    );
    http = request(system.app.getHttpServer() as Parameters<typeof request>[0]);
  }, 60_000);

  afterAll(async () => {
    await system.close();
    dir.remove();
  });

  const classify = (body: unknown, key = READER) =>
    http
      .post('/v1/classify')
      .set({ Authorization: `Bearer ${key}` })
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  it('classifies a provision: categories with evidence, references with rationale, exposure, jurisdictions', async () => {
    const text =
      '## Arbitration\n\nAll disputes will be resolved by binding arbitration. You waive the right to a jury trial ' +
      'and to participate in a class action.';
    const response = await classify({ text, service: 'Example', documentType: 'Terms of Service' }).expect(
      200,
    );
    const body = response.body as {
      categories: {
        id: string;
        confidence: number;
        evidence: { phrase: string; start: number; end: number }[];
      }[];
      references: {
        framework: string;
        instrument: string;
        article: string;
        title: string;
        url: string;
        rationale: string;
      }[];
      exposure: { level: string; reasons: string[] };
      jurisdictions: { id: string; level: string }[];
      taxonomyVersion: string;
      classifierVersion: string;
    };
    expect(body.categories[0]!.id).toBe('arbitration-class-waiver');
    for (const e of body.categories[0]!.evidence) expect(text.slice(e.start, e.end)).toBe(e.phrase);
    expect(body.references[0]).toMatchObject({ framework: 'uctd', article: 'Annex 1(q)' });
    expect(body.references[0]!.rationale).not.toBe('');
    expect(body.exposure.level).toBe('high');
    expect(body.jurisdictions.map((j) => j.id)).toEqual([
      'eu-eea',
      'us-california',
      'us-federal',
      'uk',
      'brazil',
    ]);
    expect(body.taxonomyVersion).toMatch(/\d/);
    expect(body.classifierVersion).toMatch(/\d/);
  });

  it('marks a category the learned model added, with its probability, word spans and the weights behind it', async () => {
    const text =
      'We keep your messages for as long as your account is open, and we share them with our service providers.';
    const body = (await classify({ text }).expect(200)).body as {
      categories: {
        id: string;
        source: string;
        confidence: number;
        evidence: { phrase: string; start: number; end: number }[];
      }[];
      model: { version: string; trainingSetHash: string; combination: { add: number; veto: number } };
    };
    // The weights of all 1,102 labels (classifier 1.7.0) no longer read "as long as your account is open" as
    // termination, as those of 1.6.0 did.
    expect(body.categories.map((c) => [c.id, c.source])).toEqual([
      ['retention', 'rules'],
      ['sub-processors', 'model'],
    ]);
    const added = body.categories[1]!;
    expect(added.confidence).toBeGreaterThanOrEqual(0.4);
    expect(added.evidence.length).toBeGreaterThan(0);
    for (const e of added.evidence) expect(text.slice(e.start, e.end)).toBe(e.phrase);
    expect(body.model.trainingSetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.model.combination).toEqual({ add: 0.4, veto: 0.02 });
  });

  it('answers problems: 422 for empty, binary or unknown fields, 413 over the limit, 415 for another type, 401 without a key', async () => {
    const empty = await classify({ text: '   ' }).expect(422);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    await classify({ text: 'ok text', colour: 'blue' }).expect(422);
    await classify({ text: 'abc\u0000\u0001\u0002def' }).expect(422);
    await classify({ text: 42 }).expect(422);
    await classify(['text']).expect(422);
    const large = await classify({ text: 'a'.repeat(200_001) }).expect(413);
    expect((large.body as { detail: string }).detail).toContain('200000');
    await http.post('/v1/classify').send({ text: 'x' }).expect(401);
    const plain = await http
      .post('/v1/classify')
      .set({ Authorization: `Bearer ${READER}`, 'Content-Type': 'text/plain' })
      .send('We retain data.')
      .expect(415);
    // The answer names what this route reads and what it got, not another route's body.
    expect((plain.body as { detail: string }).detail).toBe(
      'Send the request body as application/json (got "text/plain")',
    );
    await classify({ text: 'We retain data.' }, INGEST).expect(403);
  });

  it('classifies a 200 000-character text as one provision', async () => {
    const text = 'We may change these terms at any time. '.repeat(5_000).slice(0, 200_000);
    const response = await classify({ text }).expect(200);
    expect((response.body as { categories: { id: string }[] }).categories[0]!.id).toBe('unilateral-changes');
  }, 30_000);

  it('classifies a long text in a text-work thread, with the answer the classifier gives in this one', async () => {
    const text = [
      '## Your data',
      'We collect your name, email address and payment details when you create an account.',
      'We keep them for 30 days after you close your account, then delete them.',
      'We may share them with law enforcement when the law requires it.',
    ]
      .join('\n\n')
      .repeat(20);
    expect(text.length).toBeGreaterThan(CLASSIFY_INLINE_BELOW);
    const inAThread = jest.spyOn(WorkerPool.prototype, 'run');
    try {
      const response = await classify({ text, documentType: 'Privacy Policy' }).expect(200);
      expect(inAThread).toHaveBeenCalledWith('classify', {
        inputs: [{ text, documentType: 'Privacy Policy' }],
      });
      const { references, ...expected } = classifyProvision({ text, documentType: 'Privacy Policy' });
      expect(response.body).toEqual({
        ...expected,
        references: references.filter((r) => r.primary),
        relatedReferences: references.filter((r) => !r.primary),
      });
    } finally {
      inAThread.mockRestore();
    }
  }, 30_000);

  it('serves the taxonomy: categories with their mapping, frameworks with references', async () => {
    const categories = (await http.get('/v1/categories').set(auth).expect(200)).body as {
      classifierVersion: string;
      model: { version: string; trainingSetHash: string };
      items: { id: string; mapping: unknown[] }[];
    };
    expect(categories.items.map((c) => c.id)).toContain('retention');
    expect(categories.classifierVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(categories.model.trainingSetHash).toMatch(/^[0-9a-f]{64}$/);
    const regulations = (await http.get('/v1/regulations').set(auth).expect(200)).body as {
      version: string;
      frameworks: { id: string; applicationDates: { date: string }[] }[];
      references: { id: string; url: string }[];
    };
    expect(
      regulations.frameworks.find((f) => f.id === 'ai-act')!.applicationDates.map((d) => d.date),
    ).toContain('2025-08-02');
    expect(regulations.references.find((r) => r.id === 'gdpr/art-5-1-e')!.url).toContain('eur-lex.europa.eu');
  });

  it('documents the endpoints in OpenAPI', async () => {
    const openapi = (await http.get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/v1/classify', '/v1/categories', '/v1/regulations']),
    );
    expect(JSON.stringify(openapi.paths['/v1/classify'])).toContain('200000');
    // The source of each category and the model behind the answer are documented (1.5.0, additive).
    expect(JSON.stringify(openapi.paths['/v1/classify'])).toContain('"source"');
    expect(JSON.stringify(openapi.paths['/v1/classify'])).toContain('trainingSetHash');
  });
});
