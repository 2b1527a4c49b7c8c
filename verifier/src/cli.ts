#!/usr/bin/env node
// vpp-verify: checks a proof bundle offline against the checkpoints you pin.
//
//   vpp-verify <bundle.json | -> [--checkpoint <blockNumber>:<blockHash>:<configBlockNumber>:<configBlockHash>]...
//              [--checkpoints <file.json>] [--json]
//
// Exit status: 0 verified, 1 verification failed (FAILED <REASON>: … on stderr), 2 usage error or
// unreadable input.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyBundle, type CheckpointPin, type Proved } from './verify';

const USAGE = `usage: vpp-verify <bundle.json | -> [--checkpoint <blockNumber>:<blockHash>:<configBlockNumber>:<configBlockHash>]...
                  [--checkpoints <file.json>] [--json]

  --checkpoint   a checkpoint you trust, on the bundle's channel (repeatable)
  --checkpoints  a JSON file: an array of checkpoints, or { "checkpoints": [...] } as the REST list returns
  --json         print the result object as JSON

exit status: 0 verified, 1 verification failed, 2 usage error or unreadable input`;

const EXIT_VERIFIED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

const HASH = /^[0-9a-fA-F]{64}$/;
const NATURAL = /^(?:0|[1-9][0-9]*)$/;

function naturalOf(text: string, what: string): number {
  const n = Number(text);
  if (!NATURAL.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`${what} must be a block number`);
  return n;
}

/** `<blockNumber>:<blockHash>:<configBlockNumber>:<configBlockHash>`, pinned on `channel`. */
function parseColonPin(text: string, channel: string): CheckpointPin {
  const parts = text.split(':');
  const [blockNumber, blockHash, configBlockNumber, configBlockHash] = parts;
  if (
    parts.length !== 4 ||
    blockNumber === undefined ||
    configBlockNumber === undefined ||
    blockHash === undefined ||
    configBlockHash === undefined ||
    !HASH.test(blockHash) ||
    !HASH.test(configBlockHash)
  ) {
    throw new UsageError(
      `--checkpoint '${text}' is not <blockNumber>:<blockHash>:<configBlockNumber>:<configBlockHash>`,
    );
  }
  return {
    channel,
    blockNumber: naturalOf(blockNumber, '--checkpoint blockNumber'),
    blockHash: blockHash.toLowerCase(),
    configBlockNumber: naturalOf(configBlockNumber, '--checkpoint configBlockNumber'),
    configBlockHash: configBlockHash.toLowerCase(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checkpoints from a file: a JSON array, or { checkpoints: [...] }; each item needs the pinned fields. */
function parsePinFile(text: string, file: string): CheckpointPin[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
  const list = isRecord(json) ? json.checkpoints : json;
  if (!Array.isArray(list))
    throw new UsageError(`${file}: expected an array of checkpoints or { "checkpoints": [...] }`);
  return list.map((item: unknown, i) => {
    if (
      !isRecord(item) ||
      typeof item.channel !== 'string' ||
      typeof item.blockNumber !== 'number' ||
      typeof item.blockHash !== 'string' ||
      typeof item.configBlockNumber !== 'number' ||
      typeof item.configBlockHash !== 'string'
    ) {
      throw new UsageError(
        `${file}: checkpoint ${i} needs channel, blockNumber, blockHash, configBlockNumber, configBlockHash`,
      );
    }
    return {
      channel: item.channel,
      blockNumber: item.blockNumber,
      blockHash: item.blockHash,
      configBlockNumber: item.configBlockNumber,
      configBlockHash: item.configBlockHash,
    };
  });
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file === '-' ? 'stdin' : file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function summary(proved: Proved): string {
  const lines = [
    `VERIFIED ${proved.kind} ${proved.key}`,
    `  value        ${JSON.stringify(proved.value)}`,
    `  written by   transaction ${proved.txId}`,
    `               block ${proved.blockNumber}, index ${proved.index}, at ${proved.timestamp}, on ${proved.channel} by chaincode ${proved.chaincode}`,
    `  created by   ${proved.creatorMsp}`,
    `  endorsed by  ${proved.endorsingMsps.join(', ')}   (policy: ${proved.policy})`,
    `  attested by  ${proved.attestingMsps.join(', ')}   (a read of the key at this transaction's version)`,
    `  attested at  ${proved.attestedAt}`,
    `  checkpoint   block ${proved.checkpoint.blockNumber} ${proved.checkpoint.blockHash}`,
    `               config block ${proved.checkpoint.configBlockNumber} ${proved.checkpoint.configBlockHash}`,
  ];
  if (proved.sample !== undefined) {
    lines.push(
      `  sample       leaf ${proved.sample.index} of ${proved.sample.size}: ${JSON.stringify(proved.sample.leaf)}`,
    );
  }
  lines.push(
    'NOT proved: validity is attested by the endorsing orgs (their signed read of the key), and the checkpoint is trusted only because you pinned it.',
  );
  return lines.join('\n');
}

function run(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        checkpoint: { type: 'string', multiple: true },
        checkpoints: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_VERIFIED;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('give exactly one bundle file (or - for stdin)');

  const text = readInput(file);
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch {
    // Not JSON is the verifier's MALFORMED_BUNDLE, not a usage error: the file was read.
    bundle = undefined;
  }
  // The colon form names no channel: it pins the bundle's own channel.
  const channel = (isRecord(bundle) && typeof bundle.channel === 'string' && bundle.channel) || '';
  const pins = [
    ...(values.checkpoint ?? []).map((pin) => parseColonPin(pin, channel)),
    ...(values.checkpoints === undefined
      ? []
      : parsePinFile(readInput(values.checkpoints), values.checkpoints)),
  ];

  const result =
    bundle === undefined
      ? ({ ok: false, reason: 'MALFORMED_BUNDLE', message: `${file} is not JSON` } as const)
      : verifyBundle(bundle, pins);
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.ok) {
    if (!values.json) process.stdout.write(`${summary(result.proved)}\n`);
    return EXIT_VERIFIED;
  }
  process.stderr.write(`FAILED ${result.reason}: ${result.message}\n`);
  return EXIT_FAILED;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  // verifyBundle never throws, so anything here is about the input or the command line.
  const message = error instanceof UsageError ? `${error.message}\n${USAGE}` : String(error);
  process.stderr.write(`vpp-verify: ${message}\n`);
  process.exitCode = EXIT_USAGE;
}
