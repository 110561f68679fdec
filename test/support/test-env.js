/**
 * Jest setup of every tier: the services the tests start (in process or as children, which inherit this) skip the
 * warm-up of the text engine (TERMLINE_WARM_UP), which would add about a second to each of the suite's many
 * starts. The warm-up has its own test (text-work.int.spec.ts); a test that wants it sets the variable itself.
 */
process.env.TERMLINE_WARM_UP ??= '0';
