/**
 * Verify cost per reading signature scheme, side by side in one run: what the gateway's pre-check and
 * every endorsing chaincode pay for each reading (verifyReadingSignature, the same function in both).
 * ecdsa-p256-sha256 is node:crypto (OpenSSL, native); sm2-sm3 is sm-crypto-v2 (pure JavaScript), warm
 * when the DER's key was seen before (its precomputed multiples are kept), cold for a key's first
 * reading. No network: devices sign before the clock starts, as they do on their own hardware.
 */
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  verifyReadingSignature,
  type DeviceKeys,
  type SignatureScheme,
  type SignedReading,
} from '../../chaincode/src/api';
import { signReading } from '../../gateway/device-kit/reading-signer';
import { newSm2Key } from '../../gateway/device-kit/sm2-key';

export interface SignatureBenchOptions {
  /** Devices (keys) per scheme. */
  devices: number;
  /** Readings per device and round. */
  readingsPerDevice: number;
  rounds: number;
}

interface SignedBy {
  readonly keys: DeviceKeys;
  readonly readings: SignedReading[];
}

/** `devices` devices with a P-256 key and an SM2 key each, and their readings signed with `scheme`. */
function signedFleet(scheme: SignatureScheme, devices: number, readings: number): SignedBy[] {
  return Array.from({ length: devices }, (_, d) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sm2Key = newSm2Key();
    const keys: DeviceKeys = { ecdsa: publicKey, sm2: sm2Key.publicKeyHex };
    return {
      keys,
      readings: Array.from({ length: readings }, (_, sequence) =>
        signReading(
          {
            derId: `bench-${d}`,
            intervalId: '2026-11-25T10:15:00.000Z',
            sequence,
            energyWh: 100 + sequence,
            timestamp: '2026-11-25T10:15:05.000Z',
            scheme,
          },
          scheme === 'sm2-sm3' ? sm2Key : privateKey,
        ),
      ),
    };
  });
}

/** Microseconds per verification of every reading of `fleet`; throws if one fails. */
function verifyAll(fleet: readonly SignedBy[], firstOnly = false): number {
  let count = 0;
  const started = performance.now();
  for (const { keys, readings } of fleet) {
    for (const reading of firstOnly ? readings.slice(0, 1) : readings) {
      if (!verifyReadingSignature(reading, keys))
        throw new Error(`${reading.scheme}: a good signature failed`);
      count += 1;
    }
  }
  return ((performance.now() - started) * 1000) / count;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export function signatureSchemeBench(options: SignatureBenchOptions): void {
  const schemes: SignatureScheme[] = ['ecdsa-p256-sha256', 'sm2-sm3'];
  const warm: Record<SignatureScheme, number[]> = { 'ecdsa-p256-sha256': [], 'sm2-sm3': [] };
  const cold: Record<SignatureScheme, number[]> = { 'ecdsa-p256-sha256': [], 'sm2-sm3': [] };
  for (let round = 0; round < options.rounds; round += 1) {
    // Fresh keys each round (cold: a key's first reading); the schemes alternate inside the round.
    for (const scheme of schemes) {
      const fleet = signedFleet(scheme, options.devices, options.readingsPerDevice);
      cold[scheme].push(verifyAll(fleet, true));
      warm[scheme].push(verifyAll(fleet));
    }
  }
  const line = (scheme: SignatureScheme) =>
    `  ${scheme.padEnd(18)} warm ${warm[scheme]
      .map((us) => us.toFixed(0).padStart(5))
      .join(' /')} µs/reading   first reading of a key ${cold[scheme]
      .map((us) => us.toFixed(0).padStart(5))
      .join(' /')} µs`;
  const ratio = median(warm['sm2-sm3']) / median(warm['ecdsa-p256-sha256']);
  console.log(
    `signatures: verify cost per reading, ${options.devices} devices × ${options.readingsPerDevice} readings per scheme, ${options.rounds} rounds (one process, one core)`,
  );
  for (const scheme of schemes) console.log(line(scheme));
  console.log(`  ratio sm2-sm3 / ecdsa-p256-sha256 (warm, medians): ${ratio.toFixed(1)}x`);
}
