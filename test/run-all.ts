/**
 * `npm test`: every unit test, and every integration test on the real network when the pinned
 * Fabric binaries are at hand (platform/src/fabric-home.ts says where they come from). The
 * integration suite's global setup starts the network (unless it is already up) and stops what it
 * started. One `node --test` run, so one summary, which counts unit and integration tests apart.
 * With a Fabric release folder given (VPP_FABRIC_HOME or ../shared/fabric), the integration tests
 * must run: a folder that cannot be used fails the run instead of skipping them.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FabricInstallError } from '../platform/src/fabric-binaries';
import { describeHome, installFabric, isReleaseFolder, locateFabricHome } from '../platform/src/fabric-home';
import { loadTopology } from '../platform/src/topology';

const dist = path.resolve(__dirname);

async function main(): Promise<number> {
  const topology = loadTopology();
  const patterns = [path.join(dist, 'unit', '**', '*.test.js')];
  const args = [
    '--test',
    `--test-reporter=${path.join(dist, 'suite-reporter.js')}`,
    '--test-reporter-destination=stdout',
    '--test-concurrency=1',
  ];
  try {
    await installFabric(topology, { log: (line) => console.log(line) });
    patterns.push(path.join(dist, 'integration', '**', '*.test.js'));
    args.push(`--test-global-setup=${path.join(dist, 'integration', 'global-setup.js')}`);
  } catch (err) {
    if (!(err instanceof FabricInstallError)) throw err;
    const home = locateFabricHome(topology.fabric);
    if (isReleaseFolder(home)) {
      console.error(
        `\nnpm test failed: the integration tests would not run, yet a Fabric release folder is given ` +
          `(${describeHome(home)}).\n  ${err.message}\n`,
      );
      return 1;
    }
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
