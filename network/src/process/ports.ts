/** Port and host checks done before a node starts, so a clash is named rather than logged deep inside a node. */
import { createServer } from 'node:net';
import { networkInterfaces, hostname } from 'node:os';
import { lookup } from 'node:dns/promises';

export class PortTakenError extends Error {
  constructor(
    readonly nodeId: string,
    readonly purpose: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(`${nodeId}: port ${port} (${purpose}) on ${host} is already in use by another process`);
    this.name = 'PortTakenError';
  }
}

/** Resolves when nothing listens on host:port, by binding it briefly. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function assertPortsFree(
  nodeId: string,
  host: string,
  ports: Record<string, number>,
): Promise<void> {
  for (const [purpose, port] of Object.entries(ports)) {
    if (!(await isPortFree(host, port))) throw new PortTakenError(nodeId, purpose, host, port);
  }
}

/** True when the host name resolves to an address of this machine: only such nodes are started here. */
export async function isLocalHost(host: string): Promise<boolean> {
  if (host === 'localhost' || host === hostname()) return true;
  const local = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => i?.address),
  );
  try {
    const addresses = await lookup(host, { all: true });
    return addresses.some((a) => local.has(a.address) || a.address.startsWith('127.'));
  } catch {
    return false;
  }
}
