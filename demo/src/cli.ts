// `npm run demo [-- --intervals N]`: a VPP day on the running network (vpp-day.ts), a progress line
// per step, and the report at the end. Run it again as often as you like: it reuses the fleet it
// enrolled, with fresh users and fresh intervals each time.

import path from 'node:path';
import { runDir } from '../../platform/src/paths';
import { statusOf } from '../../platform/src/http/gateway-rest';
import { formatReport } from './report';
import { runVppDay } from './vpp-day';

const USAGE = `usage: npm run demo [-- --intervals N]

Runs a VPP day on the running network (start it with npm start): three VPPs of eight DERs with their
own device keys bid into N market intervals (default 3, at most 6), are cleared, dispatched, metered,
settled and scored, every step over the gateways' REST API as the user of the organisation doing it.`;

const DEFAULT_INTERVALS = 3;
const MAX_INTERVALS = 6;

/** The number of intervals asked for, or an error message. */
export function parseDemoArgs(args: readonly string[]): { intervals: number } | { error: string } | 'help' {
  let intervals = DEFAULT_INTERVALS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const value = arg === '--intervals' ? args[++i] : arg.startsWith('--intervals=') ? arg.slice(12) : null;
    if (value === null) return { error: `unknown argument ${arg}` };
    if (value === undefined || !/^[1-9][0-9]*$/.test(value) || Number(value) > MAX_INTERVALS)
      return { error: `--intervals takes a whole number from 1 to ${MAX_INTERVALS}` };
    intervals = Number(value);
  }
  return { intervals };
}

async function main(): Promise<number> {
  const parsed = parseDemoArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const health = await statusOf('cvpp', 'GET', '/healthz').catch(() => 0);
  if (health !== 200) {
    console.error('The CVPP gateway does not answer: start the network first (npm start).');
    return 1;
  }
  console.log(`A VPP day in ${parsed.intervals} market intervals on the running network.\n`);
  const result = await runVppDay({
    intervals: parsed.intervals,
    fleetFile: path.join(runDir(), 'demo', 'fleet.json'),
    progress: (line) => console.log(line),
  });
  console.log(`\n${formatReport(result.intervals, result.credit, result.links)}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? `demo failed: ${error.message}` : error);
      process.exitCode = 1;
    },
  );
}
