import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // componentize-qjs (QuickJS) components use extended-const, which Node 20 compiles only with this
    // flag; the sandbox processes that run such bots need it too.
    execArgv: ['--experimental-wasm-extended-const'],
  },
});
