import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { repositoryScenarios } from './repository-scenarios.js';

// The same scenarios on PGlite, which the service uses when no DATABASE_URL is set.
const { db, driver } = await useTestDatabase({ driver: 'pglite' });

describe('repositories on PGlite', () => {
  it('runs on PGlite', () => {
    expect(driver).toBe('pglite');
  });
  repositoryScenarios(db);
});
