/**
 * `npm run generate [-- --check]`: writes every file generated from network/topology.yaml, or with
 * --check only verifies that the committed docker-compose.yaml matches the topology (for CI).
 */
import path from 'node:path';
import { repoRoot } from '../../../platform/src/paths';
import { loadTopology, TopologyError } from '../../../platform/src/topology';
import { composeIsCurrent, defaultComposeFile, generateAll } from './index';

function main(args: string[]): number {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: cli.js [--check] (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  const topology = loadTopology();
  const relative = (file: string) => path.relative(repoRoot(), file) || file;
  if (args.includes('--check')) {
    const file = defaultComposeFile();
    if (composeIsCurrent(topology, file)) {
      console.log(`${relative(file)} is up to date`);
      return 0;
    }
    console.error(
      `${relative(file)} is missing or differs from what network/topology.yaml generates: run \`npm run generate\` and commit it`,
    );
    return 1;
  }
  for (const file of generateAll(topology)) console.log(`wrote ${relative(file)}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof TopologyError ? err.message : (err as Error).stack);
  process.exitCode = 1;
}
