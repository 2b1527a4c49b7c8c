import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatSelfTimes,
  sourceOf,
  summarizeCpuProfiles,
  type CpuProfile,
} from '../../../bench/src/cpu-profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/** A profile of four frames; samples name the top frame, timeDeltas the microseconds before each. */
function profile(samples: number[], timeDeltas: number[]): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(program)') },
      { id: 3, callFrame: frame('encode', 'file:///repo/chaincode/dist/encoding/canonical-json.js', 24) },
      {
        id: 4,
        callFrame: frame('handleGetState', 'file:///repo/node_modules/fabric-shim/lib/handler.js', 376),
      },
      {
        id: 5,
        callFrame: frame(
          'serializeBinary',
          'file:///repo/node_modules/@hyperledger/fabric-protos/lib/x.js',
          9,
        ),
      },
      { id: 6, callFrame: frame('(idle)') },
      { id: 7, callFrame: frame('verify', 'node:internal/crypto/sig', 99) },
    ],
    samples,
    timeDeltas,
  };
}

describe('bench/cpu-profile-summary', () => {
  it('should name the source of a frame by package, project folder, Node or V8', () => {
    assert.equal(sourceOf(frame('f', 'file:///x/node_modules/fabric-shim/lib/stub.js')), 'fabric-shim');
    assert.equal(sourceOf(frame('f', 'file:///x/node_modules/@grpc/grpc-js/build/a.js')), '@grpc/grpc-js');
    assert.equal(
      sourceOf(frame('f', 'file:///x/node_modules/a/node_modules/google-protobuf/g.js')),
      'google-protobuf',
    );
    assert.equal(sourceOf(frame('f', 'file:///x/chaincode/dist/ledger/store.js')), 'project:chaincode');
    assert.equal(sourceOf(frame('f', 'node:internal/crypto/sig')), 'node');
    assert.equal(sourceOf(frame('(garbage collector)')), '(garbage collector)');
    assert.equal(sourceOf(frame('run')), '(native)');
  });

  it('should add self time per frame and per source across profiles, leaving waiting out', () => {
    const first = profile([3, 4, 2, 3, 6, 5], [100, 200, 5000, 300, 9000, 50]);
    const second = profile([7, 3], [400, 100]);
    const summary = summarizeCpuProfiles([first, second]);
    assert.equal(summary.busyMicros, 100 + 200 + 300 + 50 + 400 + 100);
    assert.deepEqual(
      summary.topFrames.map((row) => [row.name, row.micros]),
      [
        ['encode canonical-json.js:25', 500],
        ['verify sig:100', 400],
        ['handleGetState handler.js:377', 200],
        ['serializeBinary x.js:10', 50],
      ],
    );
    assert.deepEqual(
      summary.bySource.map((row) => [row.name, row.micros]),
      [
        ['project:chaincode', 500],
        ['node', 400],
        ['fabric-shim', 200],
        ['@hyperledger/fabric-protos', 50],
      ],
    );
    assert.equal(summary.bySource[0]?.share, 500 / 1150);
  });

  it('should keep only the top rows and print shares with one decimal', () => {
    const summary = summarizeCpuProfiles([profile([3, 3, 3, 4], [100, 100, 100, 100])], 1);
    assert.deepEqual(
      summary.topFrames.map((row) => row.name),
      ['encode canonical-json.js:25'],
    );
    assert.deepEqual(formatSelfTimes(summary.topFrames), ['   75.0%  encode canonical-json.js:25']);
  });
});
