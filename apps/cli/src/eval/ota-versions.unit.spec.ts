import { classifyOtaVersions, DAY_MS, type OtaVersion } from './ota-versions';

let sequence = 0;
const ota = (
  documentType: string,
  recordedAt: string,
  content: string,
  kind: OtaVersion['kind'] = 'change',
): OtaVersion => ({
  service: 'Nimbus Notes',
  documentType,
  recordedAt,
  commit: `v${(sequence += 1)}`,
  kind,
  snapshotCommits: [`s${sequence}`],
  content,
});

describe('classifying OTA versions', () => {
  it('tells first, technical upgrade, flip-back, link-only and substantive apart, per document, in order', () => {
    const versions = [
      ota('Terms', '2026-01-01T00:00:00Z', 'A [x](https://a.example/1)', 'first'),
      ota('Privacy', '2026-01-01T00:00:00Z', 'P', 'first'),
      ota('Terms', '2026-01-02T00:00:00Z', 'B [x](https://a.example/1)'),
      ota('Terms', '2026-01-03T00:00:00Z', 'A\n[x](https://a.example/1)'),
      ota('Terms', '2026-01-04T00:00:00Z', 'A [x](https://a.example/2?utm=3)'),
      ota('Terms', '2026-01-05T00:00:00Z', 'A [x](https://a.example/2?utm=3) !', 'technical-upgrade'),
      ota('Terms', '2026-03-01T00:00:00Z', 'B [x](https://a.example/1)'),
      ota('Privacy', '2026-03-01T00:00:00Z', 'P2'),
      // P for two months, P2 for two days, then P again: the window counts from when P was left.
      ota('Privacy', '2026-03-03T00:00:00Z', 'P'),
      // P2 was left on 3 March and came back 52 days later: not a flip-back.
      ota('Privacy', '2026-04-24T00:00:00Z', 'P2'),
    ];
    const classified = classifyOtaVersions(versions, 7 * DAY_MS);
    expect(classified.map((v) => [v.documentType, v.index, v.category])).toEqual([
      ['Terms', 1, 'first'],
      ['Privacy', 1, 'first'],
      ['Terms', 2, 'other'],
      ['Terms', 3, 'flip-back'],
      ['Terms', 4, 'link-only'],
      ['Terms', 5, 'technical-upgrade'],
      // Equal to version 2, but 58 days later: outside the window, yet counted as "equal to any earlier".
      ['Terms', 6, 'other'],
      ['Privacy', 2, 'other'],
      ['Privacy', 3, 'flip-back'],
      ['Privacy', 4, 'other'],
    ]);
    expect(classified[6]!.equalsAnyEarlier).toBe(true);
    expect(classified[3]!.equalsPrevious).toBe(false);
    expect(classified[4]!.previous?.commit).toBe(classified[3]!.commit);
  });

  it('counts a whitespace-only change as a flip-back equal to the version just before', () => {
    const [, second] = classifyOtaVersions([
      ota('Terms', '2026-01-01T00:00:00Z', 'A  B', 'first'),
      ota('Terms', '2026-01-01T12:00:00Z', 'A\nB'),
    ]);
    expect(second).toMatchObject({ category: 'flip-back', equalsPrevious: true });
  });
});

describe('the masked-by-design diagnostic', () => {
  it("flags a change that is the same version under Termline's masks, without changing its category", () => {
    const [, relative, real] = classifyOtaVersions([
      ota('Terms', '2026-01-01T00:00:00Z', 'Updated: 5 days ago\n\nWe keep data.', 'first'),
      ota('Terms', '2026-01-02T00:00:00Z', 'Updated: 6 days ago\n\nWe keep data.'),
      ota('Terms', '2026-01-03T00:00:00Z', 'Updated: 7 days ago\n\nWe keep data longer.'),
    ]);
    expect(relative).toMatchObject({ category: 'other', sameUnderMasks: true });
    expect(real).toMatchObject({ category: 'other', sameUnderMasks: false });
  });
});
