#!/usr/bin/env node
// The `throwdown` command: runs the compiled CLI (npm ci builds it; `npm run build` after edits).
import('../dist/src/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') {
    console.error(
      'throwdown: the CLI is not built yet; run `npm run build` (or `npm ci`) in the project first.',
    );
    process.exit(2);
  }
  throw error;
});
