import { compareVersions } from '@termline/readmodels';
import { classifyProvision } from '@termline/regulatory';
import { alignVersionProvisions, extractText, segmentProvisions, versionIdentity } from '@termline/text';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CLASSIFY_INLINE_BELOW, DEFAULT_INLINE_BELOW, TextWork } from './text-work';
import { TEXT_TASKS } from './text-work.tasks';

/** A long terms page: `sections` headed sections of a few sentences, `variant` changing one word in each. */
function longTerms(sections: number, variant = ''): string {
  const parts: string[] = [];
  for (let i = 1; i <= sections; i += 1) {
    parts.push(
      `## ${i}. Section ${i}\n\nThe provider${variant} may process the data described in section ${i} for the ` +
        `purposes listed here, and keeps it for ${i} months unless the law asks for longer. You may object ` +
        `to the processing at any time by writing to the address given in section ${i + 1}.\n`,
    );
  }
  return `# Terms of Service\n\n${parts.join('\n')}`;
}

const html = (body: string) => `<html><body><main>${body}</main></body></html>`;

describe('TextWork in worker threads', () => {
  let work: TextWork;

  beforeAll(() => {
    // Every job to a thread, however short, so that the threads' answers are what is compared.
    work = new TextWork(2, 0);
  });

  afterAll(async () => {
    await work.close();
  });

  it('answers exactly what the text engine answers in this thread', async () => {
    const input = {
      content: Buffer.from(html('<h1>Terms</h1><p>You agree to <a href="/x">these terms</a>.</p>')),
      mimeType: 'text/html',
      fetchedAt: '2026-01-01T00:00:00Z',
      service: 'Example',
      documentType: 'Terms of Service',
    };
    const before = longTerms(40);
    const after = longTerms(40, ' and its partners');
    const aligned = alignVersionProvisions(null, before);
    const previous = { text: before, provisionIds: aligned.provisions.map((p) => p.id), version: 1 };

    const inputs = segmentProvisions(after)
      .slice(0, 20)
      .map((p) => ({ text: p.text, heading: p.heading, service: 'Example', documentType: 'Privacy Policy' }));
    const relative = `Updated 3 days ago. ${after} See [the policy](https://x.example/p?token=1).`;
    const [extracted, alignment, diff, classifications, identity] = await Promise.all([
      work.extract(input, undefined, undefined),
      work.align(previous, after),
      work.compare(previous, after),
      work.classify(inputs),
      work.identify(relative, ['relative-times']),
    ]);

    expect(extracted).toEqual(extractText(input, undefined));
    expect(alignment).toEqual(alignVersionProvisions(previous, after));
    // The projection's comparison: line counts without the patch.
    expect(diff).toEqual(compareVersions(previous, after, { withPatch: false }));
    expect(diff.patch).toBe('');
    expect(diff.stats).toEqual(compareVersions(previous, after).stats);
    expect(diff.stats.wordsAdded).toBeGreaterThan(0);
    expect(classifications).toEqual(inputs.map(classifyProvision));
    expect(classifications).toHaveLength(20);
    expect(identity).toEqual(versionIdentity(relative, ['relative-times']));
    expect(identity.masks).toEqual(['link-targets-masked', 'relative-times-masked']);
  });

  it('rejects with the error the task threw, and keeps working after it', async () => {
    // Ids that are not a list: the engine throws a TypeError in the worker when it reads them.
    const broken = { text: 'One sentence.', provisionIds: null as never, version: 1 };
    expect(() => compareVersions(broken, 'Two sentences.')).toThrow(TypeError);
    await expect(work.compare(broken, 'Two sentences.')).rejects.toMatchObject({ name: 'TypeError' });
    const diff = await work.compare(null, 'One sentence.');
    expect(diff.stats.wordsAdded).toBeGreaterThan(0);
  });

  it('after close, answers in the calling thread instead of starting threads again', async () => {
    const closing = new TextWork(1, 0);
    await closing.compare(null, 'Started once.');
    await closing.close();
    expect(await closing.compare(null, 'Answered here.')).toEqual(
      compareVersions(null, 'Answered here.', { withPatch: false }),
    );
  });

  it('keeps the event loop free while a long diff runs', async () => {
    // The same diff in this thread first: how long it holds the loop here, on this machine, now.
    const before = longTerms(1500);
    const after = longTerms(1500, ' and its partners');
    const previous = {
      text: before,
      provisionIds: alignVersionProvisions(null, before).provisions.map((p) => p.id),
      version: 1,
    };
    const started = process.hrtime.bigint();
    compareVersions(previous, after, { withPatch: false });
    const inThreadMs = Number(process.hrtime.bigint() - started) / 1e6;

    // Now through the pool, with the loop sampled meanwhile: no stall may approach what the diff takes here.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const ticks: number[] = [];
    const ticker = setInterval(() => ticks.push(Date.now()), 5);
    try {
      const diff = await work.compare(previous, after);
      expect(diff.stats.wordsAdded).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
      delay.disable();
    }
    const worstStallMs = delay.max / 1e6;
    // The loop kept turning while the worker computed (a blocked loop runs no timer at all).
    expect(ticks.length).toBeGreaterThan(1);
    expect(worstStallMs).toBeLessThan(inThreadMs / 2);
  }, 120_000);
});

describe('TextWork warm-up', () => {
  it('runs once per instance, in its threads and this one, and leaves the threads answering as before', async () => {
    const work = new TextWork(2, 0);
    try {
      const first = work.warmUp();
      expect(work.warmUp()).toBe(first);
      await first;
      const inputs = [{ text: 'We keep your data for 30 days after you close your account.' }];
      expect(await work.classify(inputs)).toEqual(inputs.map(classifyProvision));
    } finally {
      await work.close();
    }
  });

  it('after close, still warms the calling thread', async () => {
    const work = new TextWork(2, 0);
    await work.close();
    await expect(work.warmUp()).resolves.toBeUndefined();
  });
});

describe('TextWork: where short work runs', () => {
  it('classifies above about a provision of text in a thread, where the other steps would stay in this one', async () => {
    const work = new TextWork(1);
    const inThisThread = jest.spyOn(TEXT_TASKS, 'classify');
    try {
      const short = [{ text: 'We keep your data for 30 days.' }];
      const longer = Array.from({ length: 12 }, (_, i) => ({
        text: `We keep the data of section ${i} for ${i + 1} months after you close your account, then delete it.`,
      }));
      const characters = longer.reduce((sum, input) => sum + input.text.length, 0);
      expect(characters).toBeGreaterThanOrEqual(CLASSIFY_INLINE_BELOW);
      expect(characters).toBeLessThan(DEFAULT_INLINE_BELOW);

      expect(await work.classify(short)).toEqual(short.map(classifyProvision));
      expect(inThisThread).toHaveBeenCalledTimes(1);
      expect(await work.classify(longer)).toEqual(longer.map(classifyProvision));
      expect(inThisThread).toHaveBeenCalledTimes(1);
    } finally {
      inThisThread.mockRestore();
      await work.close();
    }
  });
});
