import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { issueCopy, type CertificateTemplate } from '../../../bench/src/device-certificates';
import { checkDeviceCertificate } from '../../../chaincode/src/domain/registry/der';
import { fabricAttrsOf, serialOf } from '../../../chaincode/src/domain/pki/certificate';
import { deviceAttrs, newTestCa, newTestDevice } from '../../support/test-pki';

describe('bench/device-certificates', () => {
  const ca = newTestCa('ca.cvpp');
  const device = newTestDevice(ca, { attrs: deviceAttrs('der-000000', 'vpp-a0') });
  const template: CertificateTemplate = {
    der: new X509Certificate(device.certPem).raw,
    caKey: createPrivateKey(ca.keyPem),
    derId: 'der-000000',
    vppId: 'vpp-a0',
  };
  const caCert = new X509Certificate(ca.certPem);

  it('should issue copies that the registry accepts for their own ids, each with its own serial', () => {
    const first = new X509Certificate(issueCopy(template, 'der-000001', 'vpp-b1'));
    const second = new X509Certificate(issueCopy(template, 'der-000002', 'vpp-b1'));
    for (const [copy, derId] of [
      [first, 'der-000001'],
      [second, 'der-000002'],
    ] as const) {
      assert.equal(copy.verify(caCert.publicKey), true);
      assert.equal(copy.checkIssued(caCert), true);
      assert.equal(fabricAttrsOf(copy)['vpp.derId'], derId);
      assert.equal(fabricAttrsOf(copy)['vpp.vppId'], 'vpp-b1');
      assert.doesNotThrow(() =>
        checkDeviceCertificate(copy, { derId, vppId: 'vpp-b1' }, [caCert], '2026-06-01T00:00:00.000Z'),
      );
      assert.equal(
        copy.publicKey.export({ format: 'jwk' }).x,
        new X509Certificate(device.certPem).publicKey.export({ format: 'jwk' }).x,
      );
    }
    const serials = new Set([serialOf(device.certPem), serialOf(first), serialOf(second)]);
    assert.equal(serials.size, 3);
  });

  it('should refuse ids of another length, and its copies fail the check for another DER', () => {
    assert.throws(() => issueCopy(template, 'der-1', 'vpp-b1'), /must have the length/);
    const copy = new X509Certificate(issueCopy(template, 'der-000003', 'vpp-b1'));
    assert.throws(
      () =>
        checkDeviceCertificate(
          copy,
          { derId: 'der-000004', vppId: 'vpp-b1' },
          [caCert],
          '2026-06-01T00:00:00.000Z',
        ),
      /vpp.derId is "der-000003"/,
    );
    const stranger = newTestCa('ca.other');
    assert.equal(copy.verify(new X509Certificate(stranger.certPem).publicKey), false);
  });
});
