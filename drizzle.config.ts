import { defineConfig } from 'drizzle-kit';

// Only used by `drizzle-kit generate`; the app applies `drizzle/` itself at start on both engines.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema.ts',
	out: './drizzle'
});
