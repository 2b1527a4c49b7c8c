/**
 * `npm test`: every unit test, and every integration test on the real network when the pinned
 * Fabric binaries can be installed here. The integration suite's global setup starts the network
 * (unless it is already up) and stops what it started. One `node --test` run, so one summary line.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FabricInstallError, installFabricBinaries } from '../network/src/fabric-binaries';
import { loadTopology } from '../network/src/topology';

const dist = path.resolve(__dirname);

async function main(): Promise<number> {
  const patterns = [path.join(dist, 'unit', '**', '*.test.js')];
  const args = ['--test', '--test-reporter=spec', '--test-concurrency=1'];
  try {
    await installFabricBinaries(loadTopology(), { log: (line) => console.log(line) });
    patterns.push(path.join(dist, 'integration', '**', '*.test.js'));
    args.push(`--test-global-setup=${path.join(dist, 'integration', 'global-setup.js')}`);
  } catch (err) {
    if (!(err instanceof FabricInstallError)) throw err;
    console.log(`\nINTEGRATION TESTS NOT RUN: no Fabric binaries on this machine.\n  ${err.message}\n`);
  }
  const result = spawnSync(process.execPath, [...args, ...patterns], { stdio: 'inherit' });
  return result.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
