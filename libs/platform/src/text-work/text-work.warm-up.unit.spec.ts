import { classifyProvision } from '@termline/regulatory';
import { segmentProvisions } from '@termline/text';
import { warmUpSamplePage, warmUpTextEngine } from './text-work.warm-up';

describe('the text engine warm-up', () => {
  it('classifies every provision of its sample page', () => {
    expect(warmUpTextEngine()).toBe(
      segmentProvisions(warmUpSamplePage(' This applies to every user.')).length,
    );
    expect(warmUpTextEngine()).toBeGreaterThanOrEqual(24);
  });

  it("reaches most of the classifier's categories, not one path many times", () => {
    const categories = new Set(
      segmentProvisions(warmUpSamplePage()).flatMap((provision) =>
        classifyProvision({ text: provision.text, heading: provision.heading }).categories.map((c) => c.id),
      ),
    );
    categories.delete('none');
    expect(categories.size).toBeGreaterThanOrEqual(15);
  });
});
