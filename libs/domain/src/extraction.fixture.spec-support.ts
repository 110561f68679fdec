import type { ExtractionOutcome } from './document.decider';

/**
 * Test support for the domain's unit specs: a successful extraction whose hashes are readable stand-ins
 * (`sha(<text>)`), so that expectations can name them.
 */
export const extracted = (
  text: string,
  overrides: Partial<Extract<ExtractionOutcome, { ok: true }>> = {},
): Extract<ExtractionOutcome, { ok: true }> => ({
  ok: true,
  text,
  textSha256: `sha(${text})`,
  fingerprint: `sha(${text})`,
  extractorVersion: 'x1',
  declarationHash: null,
  rulesFired: [],
  masks: [],
  ...overrides,
});
