/**
 * Jest setup of every tier: TERMLINE_PROPERTY_SEED pins the seed of every fast-check property, so that a run can be
 * replayed exactly. `.ci/run` pins it (a landing is judged on the same inputs each time); a developer's `npm test`
 * leaves it unset, draws new inputs on every run, and fast-check prints the seed of any counterexample it finds.
 */
const raw = process.env.TERMLINE_PROPERTY_SEED;
if (raw !== undefined && raw !== '') {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`TERMLINE_PROPERTY_SEED must be an integer, got "${raw}"`);
  require('fast-check').configureGlobal({ seed });
}
