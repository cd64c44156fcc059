// A stand-in for next-server.ts in tests/unit/dashboard-process.test.ts: listens on the socket it
// is given, says ready, answers with what it was started with, and stops when told to.
// FAKE_DASHBOARD=fail-start exits before it is ready; =crash exits (code 3) on its first request.
import { createServer } from 'node:http';

const mode = process.env.FAKE_DASHBOARD ?? 'ok';
if (mode === 'fail-start') process.exit(2);
const server = createServer((req, res) => {
  if (mode === 'crash') process.exit(3);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ role: process.env.HOOKYARD_PROCESS, execArgv: process.execArgv, connected: process.connected }));
});
server.listen(process.env.HOOKYARD_DASHBOARD_SOCKET, () => process.send({ type: 'ready' }));
process.on('message', (message) => {
  if (message?.type === 'stop') server.close(() => process.exit(0));
});
