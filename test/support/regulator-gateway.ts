/**
 * An in-process gateway of the regulator org (own data folder, port 0) on the real network, with
 * the regulator `appuser` and the org admin stored as gateway identities and logged in over HTTP
 * (POST /v1/auth/token), so tests need no CA round trip.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../gateway/src/app';
import { loadConfig } from '../../gateway/src/config';
import { IdentityStore } from '../../gateway/src/core/identity-store';
import type { ApiRole } from '../../gateway/src/core/roles';
import { serialOf } from '../../gateway/src/core/x509';
import { httpRequest } from '../../platform/src/http/http-client';
import { cryptoPaths } from '../../platform/src/paths';

const ORG = 'regulator';
const SECRET = 'integration-secret';

export interface Harness {
  url: string;
  tokens: Record<'regulator' | 'admin', string>;
  close(): Promise<void>;
}

export async function startRegulatorGateway(): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vpp-gw-ledger-'));
  const store = new IdentityStore(dataDir);
  const users: [string, string, ApiRole][] = [
    ['appuser', 'appuser', 'regulator'],
    [`${ORG}admin`, 'admin', 'admin'],
  ];
  for (const [enrollmentId, folder, role] of users) {
    const msp = cryptoPaths.userMsp(ORG, folder);
    const certPem = readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8');
    const keyPem = readFileSync(path.join(msp, 'keystore', 'key.pem'), 'utf8');
    store.put({ enrollmentId, role, serial: serialOf(certPem), certPem, keyPem }, SECRET);
  }
  const config = loadConfig({
    VPP_GATEWAY_ORG: ORG,
    VPP_GATEWAY_HOST: '127.0.0.1',
    // In process on loopback: plain HTTP, as the switch allows there only.
    VPP_GATEWAY_PLAIN_HTTP: '1',
    VPP_GATEWAY_PORT: '0',
    VPP_GATEWAY_DATA: dataDir,
    VPP_LOG_LEVEL: 'warn',
  });
  const app: FastifyInstance = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === 'object');
  const url = `http://127.0.0.1:${address.port}`;
  const login = async (enrollmentId: string) => {
    const res = await httpRequest(url, '/v1/auth/token', {
      method: 'POST',
      json: { enrollmentId, secret: SECRET },
      timeoutMs: 30_000,
    });
    assert.equal(res.status, 200, res.text);
    return (JSON.parse(res.text) as { token: string }).token;
  };
  return {
    url,
    tokens: { regulator: await login('appuser'), admin: await login(`${ORG}admin`) },
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
