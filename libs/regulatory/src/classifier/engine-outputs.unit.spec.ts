import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyProvision, type Classification, type ClassifyInput } from './classify-provision';
import { ENGINE_PROVISIONS } from './engine-provisions.spec-support';

/**
 * Whole classifications of the synthetic provisions (one per category) and of variants that take the engine's other
 * paths (document types, a given heading, upper case, a character whose lower case is longer, links to mask),
 * against a golden file written by the engine before cue-matcher.ts. A change of cues or rules that is meant to
 * change outputs rewrites it: `TERMLINE_UPDATE_GOLDEN=1 npx jest --selectProjects unit --testPathPatterns
 * engine-outputs` (then read the diff).
 */
const GOLDEN = join(__dirname, '../../../../test/fixtures/regulatory/classifier-outputs.golden.json');

function inputsOf(name: string, text: string, index: number): Record<string, ClassifyInput> {
  const [heading, ...rest] = text.split('\n\n');
  return {
    [`${name}`]: { text },
    [`${name} (service, document type)`]: {
      text,
      service: 'Example',
      documentType: ['Privacy Policy', 'Terms of Service', 'Developer Terms'][index % 3]!,
    },
    [`${name} (heading given, upper case)`]: {
      text: rest.join('\n\n').toUpperCase(),
      heading: heading!.replace(/^#+ /, ''),
    },
    [`${name} (İ, links)`]: {
      text: `İ ${text.replace(/ you /, ' [you](https://example.test/you) ')} See [details](#details).`,
    },
  };
}

/** The engine's answer, without the taxonomy's long strings (titles, URLs, rationales), which it only copies. */
function view(result: Classification) {
  return {
    categories: result.categories,
    references: result.references.map((r) => `${r.id}${r.primary ? ' (primary)' : ''}`),
    exposure: result.exposure.level,
    jurisdictions: result.jurisdictions.map((j) => `${j.id}: ${j.level}`),
    attributes: result.attributes,
  };
}

const inputs = Object.entries(ENGINE_PROVISIONS).flatMap(([name, text], index) =>
  Object.entries(inputsOf(name, text, index)),
);
const actual = Object.fromEntries(inputs.map(([name, input]) => [name, view(classifyProvision(input))]));

if (process.env.TERMLINE_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 1)}\n`);
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>;

describe('classifier outputs on the synthetic provisions', () => {
  it('covers every provision and variant', () => {
    expect(Object.keys(golden).sort()).toEqual(Object.keys(actual).sort());
    expect(inputs.length).toBe(Object.keys(ENGINE_PROVISIONS).length * 4);
  });

  it.each(inputs.map(([name]) => name))('classifies "%s" as the golden file says', (name) => {
    expect(actual[name]).toEqual(golden[name]);
  });
});
