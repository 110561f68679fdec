/**
 * Jest setup of every tier: the services the tests start from the process environment (the built processes of the
 * fault and distributed tiers, the CLI's children inherit it) skip the warm-up of the text engine (TERMLINE_WARM_UP),
 * which would add a second or more to each of their many starts. The apps the e2e suites build from a config of
 * their own keep it on, so the consumers' warm-up runs there; the warm-up has its own tests (text-work.*.spec.ts).
 */
process.env.TERMLINE_WARM_UP ??= '0';
