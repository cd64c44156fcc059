// Values tests/support/global-setup.ts hands to every test file through vitest's provide/inject.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server; swap the database name to reach any database on it. */
    hookyardAdminUrl: string;
    /** A database with every migration applied; each test file gets a copy (per-file-database.ts). */
    hookyardTemplateDb: string;
    /** True when the server is a throwaway embedded one, deleted with all its databases at teardown. */
    hookyardDisposableServer: boolean;
  }
}
