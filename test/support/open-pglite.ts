/**
 * Child process for the PGlite lock test: opens the data directory given as argv[2].
 * `try` exits 0 when it opened and 3 with the error on stderr when the directory is locked;
 * `hold` prints "ready" and keeps the database open until killed.
 */
import { createDatabase } from '../../src/db/client.js';
import { DataDirLockedError } from '../../src/db/data-dir-lock.js';

const [, , dataDir, mode] = process.argv;
if (!dataDir || (mode !== 'try' && mode !== 'hold')) {
  console.error('usage: open-pglite.ts <data-dir> try|hold');
  process.exit(2);
}
try {
  const database = await createDatabase({ dataDir });
  if (mode === 'try') {
    await database.close();
    process.exit(0);
  }
  process.stdout.write('ready\n');
  // The lock does not keep the process alive by itself; this does, until the test kills us.
  setInterval(() => {}, 60_000);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof DataDirLockedError ? 3 : 1);
}
