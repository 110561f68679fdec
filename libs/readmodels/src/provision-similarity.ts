/**
 * How alike two provisions of different services are. Different companies rarely share three words in a row, so
 * the shingle similarity that aligns versions of one document would call them all unrelated; this compares the
 * vocabulary instead: TF-IDF weighted words and word pairs, cosine, with the IDF taken from the provisions being
 * compared (a word every candidate uses, like "data" in a data section, says little).
 */

// Words that carry no subject: grammar, and the names every legal text gives itself.
const STOPWORDS = new Set(
  (
    'a an and are as at be been by can do does for from has have if in into is it its may of on or our ours ' +
    'shall should such than that the their them then there these they this those to under us was we were what ' +
    'when where which who will with would you your yours any all not no other also each more most some only ' +
    'terms policy service services agreement section'
  ).split(' '),
);

/**
 * Lower-case words of three letters or more, without stop words or numbers, cut to their first five letters: a
 * crude stemmer that folds "deleted"/"delete" and "backups"/"backup" without a dictionary.
 */
export function similarityTerms(text: string): string[] {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !/^\d+$/.test(w))
    .map((w) => w.slice(0, 5));
  const terms = [...words];
  for (let i = 0; i + 1 < words.length; i++) terms.push(`${words[i]} ${words[i + 1]}`);
  return terms;
}

function counts(terms: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const term of terms) map.set(term, (map.get(term) ?? 0) + 1);
  return map;
}

export interface SimilarityCandidate<T> {
  item: T;
  text: string;
}

/**
 * The candidates ranked by similarity with the target (0..1, rounded to three digits), most similar first; ties
 * keep the candidates' order.
 */
export function rankBySimilarity<T>(
  target: string,
  candidates: ReadonlyArray<SimilarityCandidate<T>>,
): Array<{ item: T; score: number }> {
  const targetCounts = counts(similarityTerms(target));
  const candidateCounts = candidates.map((c) => counts(similarityTerms(c.text)));
  const documents = [targetCounts, ...candidateCounts];
  const documentFrequency = new Map<string, number>();
  for (const doc of documents) {
    for (const term of doc.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const n = documents.length;
  const weigh = (doc: Map<string, number>): Map<string, number> => {
    const weights = new Map<string, number>();
    for (const [term, count] of doc) {
      // Smoothed IDF: a term in every document still weighs a little, so two texts alike only in common words
      // are not scored zero.
      const idf = Math.log((1 + n) / (1 + documentFrequency.get(term)!)) + 1;
      weights.set(term, (1 + Math.log(count)) * idf);
    }
    return weights;
  };
  const norm = (weights: Map<string, number>) =>
    Math.sqrt([...weights.values()].reduce((s, w) => s + w * w, 0));
  const targetWeights = weigh(targetCounts);
  const targetNorm = norm(targetWeights);
  const ranked = candidates.map((candidate, index) => {
    const weights = weigh(candidateCounts[index]!);
    const denominator = targetNorm * norm(weights);
    let dot = 0;
    for (const [term, weight] of weights) dot += weight * (targetWeights.get(term) ?? 0);
    const score = denominator === 0 ? 0 : Math.round((dot / denominator) * 1000) / 1000;
    return { item: candidate.item, score, index };
  });
  return ranked
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ item, score }) => ({ item, score }));
}
