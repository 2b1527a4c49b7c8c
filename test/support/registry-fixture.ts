// A memory ledger with the CVPP CA recorded, one VPP and DERs with device certificates: the starting
// point of registry and telemetry contract tests.

import { RegistryContract } from '../../chaincode/src/contracts/registry-contract';
import type { DerType } from '../../chaincode/src/domain/registry/der';
import { installDefaultCalendar } from './market-calendar';
import { MemoryLedger, type Caller } from './memory-stub';
import { deviceAttrs, newTestCa, newTestDevice, type TestCa, type TestDevice } from './test-pki';

export const registry = new RegistryContract();

export const cvppAdmin: Caller = {
  mspId: 'CvppMSP',
  attributes: { 'vpp.role': 'admin' },
  id: 'x509::/OU=admin/CN=cvppadmin::/CN=ca',
};
export const cvppOperator: Caller = {
  mspId: 'CvppMSP',
  attributes: { 'vpp.role': 'operator' },
  id: 'x509::/OU=client/CN=op1::/CN=ca',
};
export const cvppIngest: Caller = { mspId: 'CvppMSP', attributes: { 'vpp.role': 'ingest' } };
export const regulator: Caller = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'regulator' } };
export const tradingOperator: Caller = { mspId: 'TradingMSP', attributes: { 'vpp.role': 'trading' } };
export const tradingAdmin: Caller = { mspId: 'TradingMSP', attributes: { 'vpp.role': 'admin' } };

export const VPP_ID = 'vpp-north';
export const SETUP_TIME = '2026-01-01T00:00:00.000Z';

export interface Fixture {
  readonly ledger: MemoryLedger;
  readonly ca: TestCa;
  readonly devices: Map<string, TestDevice>;
}

export interface DerSpec {
  readonly derId: string;
  readonly derType?: DerType;
  readonly capacityW?: number;
  readonly vppId?: string;
}

export function derJson(spec: DerSpec, certificatePem: string): string {
  return JSON.stringify({
    derId: spec.derId,
    vppId: spec.vppId ?? VPP_ID,
    derType: spec.derType ?? 'pv',
    capacityW: spec.capacityW ?? 8000,
    zone: 'zone-1',
    certificatePem,
  });
}

/** Records the CA, registers VPP_ID and one DER per spec, each with its own device certificate. */
export async function newFixture(specs: readonly DerSpec[] = []): Promise<Fixture> {
  const ledger = new MemoryLedger();
  const ca = newTestCa('ca.cvpp');
  await ledger.submit({ caller: cvppAdmin, time: SETUP_TIME }, (ctx) =>
    registry.RecordCaCertificates(ctx, JSON.stringify([ca.certPem])),
  );
  await installDefaultCalendar(ledger, SETUP_TIME);
  await ledger.submit({ caller: cvppOperator }, (ctx) =>
    registry.RegisterVpp(ctx, JSON.stringify({ vppId: VPP_ID, displayName: 'North VPP', feeBps: 500 })),
  );
  const devices = new Map<string, TestDevice>();
  for (const spec of specs) {
    const device = newTestDevice(ca, { attrs: deviceAttrs(spec.derId, spec.vppId ?? VPP_ID) });
    devices.set(spec.derId, device);
    await ledger.submit({ caller: cvppOperator }, (ctx) =>
      registry.RegisterDer(ctx, derJson(spec, device.certPem)),
    );
  }
  return { ledger, ca, devices };
}
