/**
 * tests/support/api-server.ts as a process of its own, so a test can SIGKILL it and start it again
 * on the same port (a server restart, seen from a client): `node --import tsx
 * tests/support/api-server-main.ts [port]` prints `listening <url>` on stdout once it listens.
 * The database comes from DATABASE_URL, as for every process of the app.
 */
import { startApiServer } from './api-server';

const server = await startApiServer({ port: Number(process.argv[2] ?? 0) });
process.stdout.write(`listening ${server.url}\n`);
