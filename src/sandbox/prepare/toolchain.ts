/**
 * Names every tool whose output is baked into an artifact. Bump METER_VERSION whenever the
 * instrumentation changes, so stale artifacts are rebuilt instead of reused.
 */
export const JCO_TRANSPILE_VERSION = '0.15.0';
export const METER_VERSION = 5;
export const TOOLCHAIN = `jco-transpile@${JCO_TRANSPILE_VERSION};meter@${METER_VERSION}`;
