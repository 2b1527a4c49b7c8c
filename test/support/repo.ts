// Locations the process-level tests need. Resolved at runtime (tests run from dist/), never hard-coded.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vpp-ledger'
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no vpp-ledger package.json above ${start}`);
    }
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** The chaincode package directory as passed to --module-path (its package.json points at dist/). */
export const CHAINCODE_MODULE_PATH = path.join(REPO_ROOT, 'chaincode');

/** fabric-shim's CLI script (the target of node_modules/.bin/fabric-chaincode-node). */
export const FABRIC_CHAINCODE_NODE_CLI = require.resolve('fabric-shim/cli.js');
