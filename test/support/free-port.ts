// A TCP port free on the loopback interface right now, for test servers that need a fixed port
// before they start (the OS picks it; the probe server is closed before the port is handed out).
import { createServer } from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
