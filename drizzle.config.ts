import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are produced from the schema and applied by the service at
// start-up (src/db/client.ts), so no database URL is needed here.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
