import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildBundle, mutableCopy, newPki } from '../../support/proof-bundle-fixture';
import { REPO_ROOT } from '../../support/repo';

const CLI = path.join(REPO_ROOT, 'dist', 'verifier', 'src', 'cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vpp-verify-'));
const built = buildBundle(newPki());
const { pin } = built;
const colonPin = `${pin.blockNumber}:${pin.blockHash}:${pin.configBlockNumber}:${pin.configBlockHash}`;

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const bundleFile = write('bundle.json', built.bundle);
const tamperedFile = write(
  'tampered.json',
  (() => {
    const copy = mutableCopy(built.bundle);
    copy.claim.value = copy.claim.value.replace('1234', '9999');
    return copy;
  })(),
);

function run(args: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('verifier/cli', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should print what was proved and what was not, and exit 0', () => {
    const { status, stdout, stderr } = run([bundleFile, '--checkpoint', colonPin]);
    assert.equal(stderr, '');
    assert.equal(status, 0);
    assert.match(stdout, /^VERIFIED reading ~vpp\.reading~pv-001~2026-11-25T10:15:00\.000Z~0~$/m);
    assert.match(
      stdout,
      /endorsed by {2}CvppMSP, ControlMSP, RegulatorMSP {3}\(policy: MAJORITY Endorsement of /,
    );
    assert.match(stdout, /^ {2}attested at {2}2026-11-25T11:23:20\.250Z$/m);
    assert.match(stdout, /^NOT proved: validity is attested by the endorsing orgs/m);
  });

  it('should read checkpoints from a REST-style list and the bundle from stdin, printing JSON', () => {
    const list = write('checkpoints.json', { checkpoints: [{ ...pin, txId: 'x', recordedAt: 'y' }] });
    const { status, stdout } = run(['-', '--checkpoints', list, '--json'], JSON.stringify(built.bundle));
    assert.equal(status, 0);
    const result = JSON.parse(stdout) as { ok: boolean; proved: { blockNumber: number } };
    assert.equal(result.ok, true);
    assert.equal(result.proved.blockNumber, built.bundle.transaction.blockNumber);
    const array = write('checkpoints-array.json', [pin]);
    assert.equal(run([bundleFile, '--checkpoints', array]).status, 0);
  });

  it('should print FAILED <REASON> on stderr and exit 1 when verification fails', () => {
    const tampered = run([tamperedFile, '--checkpoint', colonPin]);
    assert.equal(tampered.status, 1);
    assert.match(tampered.stderr, /^FAILED VALUE_NOT_IN_WRITE_SET: /);
    const unpinned = run([bundleFile]);
    assert.equal(unpinned.status, 1);
    assert.match(unpinned.stderr, /^FAILED CHECKPOINT_NOT_PINNED: /);
    const notJson = run([write('not.json', 'nope'), '--checkpoint', colonPin]);
    assert.equal(notJson.status, 1);
    assert.match(notJson.stderr, /^FAILED MALFORMED_BUNDLE: /);
  });

  it('should exit 2 on a missing file or bad usage', () => {
    const missing = run([path.join(dir, 'missing.json'), '--checkpoint', colonPin]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*missing\.json: ENOENT/);
    assert.equal(run([]).status, 2);
    assert.equal(run([bundleFile, '--checkpoint', '12:abc']).status, 2);
    assert.equal(run([bundleFile, '--bogus']).status, 2);
  });
});
