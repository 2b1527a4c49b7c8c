import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemdUnitOf, unitNameOf } from '../../../../network/src/generate/systemd';

const spec = {
  id: 'peer.cvpp',
  command: '/opt/fabric/bin/peer',
  args: ['node', 'start'],
  env: { FABRIC_CFG_PATH: '/etc/fabric', CORE_PEER_ID: 'peer.cvpp', NOTE: 'a "quoted" $HOME 100%' },
  cwd: '/srv/vpp',
  logFile: '/srv/vpp/network/run/logs/peer.cvpp.log',
};

const linesOf = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));

describe('network/generate/systemd', () => {
  it('should name the unit after the node', () => {
    assert.equal(unitNameOf('chaincode.trading'), 'vpp-chaincode.trading.service');
  });

  it('should run the launch spec with its environment and log file', () => {
    const unit = systemdUnitOf(spec);
    assert.deepEqual(linesOf(unit, 'ExecStart='), ['ExecStart=/opt/fabric/bin/peer node start']);
    assert.deepEqual(linesOf(unit, 'WorkingDirectory='), ['WorkingDirectory=/srv/vpp']);
    assert.deepEqual(linesOf(unit, 'Environment='), [
      'Environment=CORE_PEER_ID=peer.cvpp',
      'Environment=FABRIC_CFG_PATH=/etc/fabric',
      'Environment="NOTE=a \\"quoted\\" $$HOME 100%%"',
    ]);
    assert.deepEqual(linesOf(unit, 'StandardOutput='), [`StandardOutput=append:${spec.logFile}`]);
  });

  it("should restart after an unexpected exit with the keeper's pauses, and never give up", () => {
    const unit = systemdUnitOf(spec, { firstDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000 });
    assert.deepEqual(
      ['Restart=', 'RestartSec=', 'RestartSteps=', 'RestartMaxDelaySec=', 'StartLimitIntervalSec='].map(
        (k) => linesOf(unit, k)[0],
      ),
      [
        'Restart=on-failure',
        'RestartSec=0.5s',
        'RestartSteps=6',
        'RestartMaxDelaySec=30s',
        'StartLimitIntervalSec=0',
      ],
    );
  });

  it('should quote arguments with spaces as one word', () => {
    const unit = systemdUnitOf({ ...spec, args: ['--module-path', '/srv/my vpp/chaincode'] });
    assert.deepEqual(linesOf(unit, 'ExecStart='), [
      'ExecStart=/opt/fabric/bin/peer --module-path "/srv/my vpp/chaincode"',
    ]);
  });
});
