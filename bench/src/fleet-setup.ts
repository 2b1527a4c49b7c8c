/** Setup shared by the benchmarks: an operator of the CVPP org, VPPs, and enrolled, registered DERs. */
import { sm2PublicKeyPem, type SignatureScheme } from '../../chaincode/src/api';
import type { Device } from '../../gateway/device-kit/device';
import { newSm2Key } from '../../gateway/device-kit/sm2-key';
import type { FleetMember } from '../../gateway/device-kit/fleet';
import { enrollDevice } from '../../gateway/device-kit/device-api';
import { call, gatewayTarget, loginAdmin, registerAndLogin } from '../../platform/src/http/gateway-rest';

const ORG = 'cvpp';

export interface Operator {
  readonly token: string;
}

export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** A fresh CVPP operator (registered by the org admin through the RA) for one run. */
export async function benchOperator(stamp: string): Promise<Operator> {
  const admin = await loginAdmin(ORG);
  return registerAndLogin(ORG, admin, `bench-op-${stamp}`, 'operator');
}

export async function registerVpp(operator: Operator, vppId: string): Promise<string> {
  const vpp = await call(ORG, 'POST', '/v1/vpps', {
    token: operator.token,
    body: { vppId, displayName: `Bench ${vppId}`, feeBps: 300 },
  });
  if (vpp.status !== 201) throw new Error(`register vpp ${vppId}: ${JSON.stringify(vpp.body)}`);
  return vppId;
}

/** Registers, enrolls (own key, CSR) and registers on chain every member of `fleet` under `vppId`. */
export async function enrollFleet(
  fleet: readonly FleetMember[],
  vppId: string,
  operator: Operator,
  scheme: SignatureScheme = 'ecdsa-p256-sha256',
): Promise<Map<string, Device>> {
  const devices = new Map<string, Device>();
  await inParallel(fleet, 8, async (member) => {
    // An SM2 device comes with its SM2 key, which the operator registers it with.
    const sm2Key = scheme === 'sm2-sm3' ? newSm2Key() : undefined;
    const registered = await call<{ secret: string }>(ORG, 'POST', '/v1/devices', {
      token: operator.token,
      body: {
        derId: member.derId,
        vppId,
        ...(sm2Key === undefined ? {} : { sm2PublicKey: sm2PublicKeyPem(sm2Key.publicKeyHex) }),
      },
    });
    if (registered.status !== 201)
      throw new Error(`register ${member.derId}: ${JSON.stringify(registered.body)}`);
    const device = await enrollDevice(gatewayTarget(ORG), member.derId, registered.body.secret, sm2Key).catch(
      (err: unknown) => {
        throw new Error(`enroll ${member.derId}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      },
    );
    const der = await call(ORG, 'POST', '/v1/ders', {
      token: operator.token,
      body: { ...member, vppId, zone: 'bench', certificatePem: device.credentials.certPem },
    });
    if (der.status !== 201) throw new Error(`register der ${member.derId}: ${JSON.stringify(der.body)}`);
    devices.set(member.derId, device);
  });
  return devices;
}
