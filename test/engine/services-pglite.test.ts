import { describe } from 'vitest';
import { useEngine } from '../support/engine.js';
import { servicesScenarios } from './services-scenarios.js';

// The same services on the embedded database, as `npm start` runs them without DATABASE_URL.
const setup = await useEngine({ driver: 'pglite' });

describe('engine services on PGlite', () => {
  servicesScenarios(() => setup);
});
