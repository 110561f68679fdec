/**
 * The text with each typographic apostrophe (’) as a straight one ('): the same length, so every offset holds. The
 * cues and the learned model's words read "can’t" and "can't" alike through this one function.
 */
export function withStraightApostrophes(text: string): string {
  return text.includes('\u2019') ? text.replace(/\u2019/g, "'") : text;
}
