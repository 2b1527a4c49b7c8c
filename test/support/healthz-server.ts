/**
 * A minimal process with a /healthz endpoint, for supervisor tests of real process control.
 * Usage: node healthz-server.js <port> [readyAfterMs]
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const readyAt = Date.now() + Number(process.argv[3] ?? 0);

createServer((req, res) => {
  const ready = Date.now() >= readyAt;
  res.writeHead(req.url === '/healthz' && ready ? 200 : 503).end(ready ? 'OK' : 'starting');
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
