/**
 * Corpus tier: the labelled governance set (test/fixtures/governance) against the corpus it points into. Every
 * label must resolve to text of its version whose sha256 is the one it was labelled with, and the loader must
 * refuse, naming the label, any pointer that no longer leads there. The vocabulary and breadth of the set are
 * checked without the corpus by labelled-provisions.unit.spec.ts.
 *
 * Needs the corpus (../shared/corpus or $TERMLINE_CORPUS_DIR): without it the suite fails, it does not skip.
 * Labels into the pga-versions history clone its git bundle to a temporary folder (a few seconds).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@termline/testing';
import {
  GENAI_VERSIONS_FILE,
  LabelIntegrityError,
  loadLabelledProvisions,
  readProvisionLabels,
  type LabelledProvision,
  type ProvisionLabel,
} from '@termline/corpus';

jest.setTimeout(5 * 60_000);

describe('labelled governance provisions (corpus tier)', () => {
  const dir = tempDir('termline-labels-');
  const labels = readProvisionLabels();
  let provisions: LabelledProvision[];

  beforeAll(async () => {
    provisions = await loadLabelledProvisions();
  });

  afterAll(() => dir.remove());

  const loadOne = (label: ProvisionLabel, name: string) => {
    const file = join(dir.path, name);
    writeFileSync(file, `${JSON.stringify(label)}\n`);
    return loadLabelledProvisions({ labelsFile: file });
  };

  it('resolves every label, in order, to the non-empty text of its span', () => {
    expect(provisions.map((p) => p.id)).toEqual(labels.map((l) => l.id));
    for (const provision of provisions) {
      expect(provision.text.length).toBe(provision.source.end - provision.source.start);
      expect(provision.text.trim()).not.toBe('');
    }
  });

  it('trims every span: no leading blank line, no trailing whitespace', () => {
    const fragments = provisions.filter((p) => /^[ \t]*\n/.test(p.text) || /\s$/.test(p.text));
    expect(fragments.map((p) => p.id)).toEqual([]);
  });

  it('refuses a label whose text hash no longer matches, naming the label', async () => {
    const label = labels.find((l) => l.source.file === GENAI_VERSIONS_FILE)!;
    const load = loadOne({ ...label, textSha256: '0'.repeat(64) }, 'tampered.ndjson');
    await expect(load).rejects.toThrow(LabelIntegrityError);
    await expect(load).rejects.toThrow(`${label.id}: textSha256 mismatch`);
  });

  it('refuses a label pointing past the end of its version', async () => {
    const label = labels[0]!;
    const load = loadOne({ ...label, source: { ...label.source, end: 10_000_000 } }, 'outside.ndjson');
    await expect(load).rejects.toThrow(/outside a text of \d+ characters/);
  });

  it('refuses a label whose version is not in the corpus, or is another document', async () => {
    const label = labels.find((l) => l.source.file === GENAI_VERSIONS_FILE)!;
    await expect(
      loadOne({ ...label, source: { ...label.source, commit: 'f'.repeat(40) } }, 'gone.ndjson'),
    ).rejects.toThrow(/not found in genai-versions-dev/);
    await expect(
      loadOne({ ...label, source: { ...label.source, documentType: 'Imaginary Policy' } }, 'other.ndjson'),
    ).rejects.toThrow(/the label says/);
  });
});
