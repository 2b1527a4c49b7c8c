// Locations the process-level tests need. Resolved at runtime (tests run from dist/), never hard-coded.

import path from 'node:path';
import { repoRoot } from '../../platform/src/paths';

export const REPO_ROOT = repoRoot();

/** The chaincode package directory as passed to --module-path (its package.json points at dist/). */
export const CHAINCODE_MODULE_PATH = path.join(REPO_ROOT, 'chaincode');

/** fabric-shim's CLI script (the target of node_modules/.bin/fabric-chaincode-node). */
export const FABRIC_CHAINCODE_NODE_CLI = require.resolve('fabric-shim/cli.js');
