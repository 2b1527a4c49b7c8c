// Device identities through the registration authority. A device is registered with the CVPP CA by
// an operator (one-time secret), enrolls itself with its own CSR (the key never leaves the device),
// and is revoked at the CA and on chain in one request.
//
// A device that signs with SM2 (scheme sm2-sm3) is registered with its SM2 public key, which its
// certificate then binds (vpp.sm2PublicKey; chaincode/src/domain/pki/sm2.ts says why). The operator
// vouches for the key, as for the DER id; at enrollment the device proves it holds the private half by
// signing its CSR with it, checked before the CA spends the one-time secret.
import {
  canonicalSignature,
  DER_ID_ATTRIBUTE,
  SM2_PUBLIC_KEY_ATTRIBUTE,
  sm2PublicKeyFromPem,
  verifySm2Sm3,
  VPP_ID_ATTRIBUTE,
} from '../../../../chaincode/src/api';
import { ApiError } from '../../core/api-error';
import { toApiError } from '../../core/fabric-errors';
import type { RoutePlugin } from '../../core/schema-types';
import { deviceEnrollmentId } from '../../telemetry/device-identity';
import { enrollDeviceSchema, registerDeviceSchema, revokeDeviceSchema } from '../../schemas/ders';

/** Proof that the enrolling device holds the SM2 key it was registered with: its signature over the CSR. */
function requireSm2Proof(proof: string | undefined, csrPem: string, sm2Key: string): void {
  if (proof === undefined) {
    throw new ApiError(
      400,
      'SM2_PROOF_REQUIRED',
      'this device was registered with an SM2 key: sign the CSR with it (sm2-sm3) and send the signature as sm2Proof',
    );
  }
  let der: Buffer;
  try {
    der = Buffer.from(canonicalSignature(proof, 'sm2-sm3'), 'base64');
  } catch {
    throw new ApiError(
      400,
      'NON_CANONICAL_SIGNATURE',
      'sm2Proof must be canonical base64 of a strict DER SM2 signature',
    );
  }
  if (!verifySm2Sm3(Buffer.from(csrPem, 'utf8'), der, sm2Key)) {
    throw new ApiError(
      400,
      'BAD_SIGNATURE',
      'sm2Proof does not verify with the SM2 key this device was registered with (SM2-SM3, default ID, over the CSR as sent)',
    );
  }
}

const routes: RoutePlugin = async (app) => {
  app.post(
    '/v1/devices',
    { config: { roles: ['operator', 'admin'] }, schema: registerDeviceSchema },
    async (request, reply) => {
      const { derId, vppId, sm2PublicKey } = request.body;
      const enrollmentId = deviceEnrollmentId(derId);
      const sm2Key = sm2PublicKey === undefined ? undefined : sm2PublicKeyFromPem(sm2PublicKey);
      if (sm2PublicKey !== undefined && sm2Key === undefined) {
        throw new ApiError(
          400,
          'INVALID_SM2_KEY',
          'sm2PublicKey must be a PEM SubjectPublicKeyInfo of an SM2 key (curve 1.2.156.10197.1.301) on the curve',
        );
      }
      const { secret } = await app.ra.register({
        enrollmentId,
        role: 'device',
        attrs: {
          [DER_ID_ATTRIBUTE]: derId,
          [VPP_ID_ATTRIBUTE]: vppId,
          ...(sm2Key === undefined ? {} : { [SM2_PUBLIC_KEY_ATTRIBUTE]: sm2Key }),
        },
      });
      request.log.info(
        { derId, vppId, enrollmentId, sm2: sm2Key !== undefined },
        'device identity registered',
      );
      return reply
        .code(201)
        .send({ derId, enrollmentId, secret, ...(sm2Key === undefined ? {} : { sm2PublicKey: sm2Key }) });
    },
  );

  // Authenticated by the one-time secret, which the CA checks; no token exists yet for a device.
  app.post(
    '/v1/devices/:derId/enroll',
    { config: { public: true }, schema: enrollDeviceSchema, preHandler: app.rateLimits.enrollment },
    async (request, reply) => {
      const { derId } = request.params;
      const { secret, csr, sm2Proof } = request.body;
      const enrollmentId = deviceEnrollmentId(derId);
      const sm2Key = (await app.ra.attributesOf(enrollmentId))?.[SM2_PUBLIC_KEY_ATTRIBUTE];
      if (sm2Key !== undefined) requireSm2Proof(sm2Proof, csr, sm2Key);
      else if (sm2Proof !== undefined) {
        throw new ApiError(
          400,
          'INVALID_ARGUMENT',
          `device ${derId} was registered without an SM2 key: send no sm2Proof`,
        );
      }
      const certificatePem = await app.ra.enrollCsr(enrollmentId, secret, csr);
      request.log.info({ derId }, 'device enrolled');
      return reply.code(201).send({ derId, certificatePem, caChainPem: app.ra.caChainPem() });
    },
  );

  app.post(
    '/v1/devices/:derId/revoke',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: revokeDeviceSchema },
    async (request) => {
      const { derId } = request.params;
      const der = await app.ledger.registry.der(request, derId);
      if (der.certificate.status === 'revoked') {
        throw new ApiError(409, 'ALREADY_REVOKED', `the certificate of der ${derId} is already revoked`);
      }
      // CA first: once the CRL lists the serial, no one may trust it, whatever the ledger says. If the
      // ledger step fails, the request can be repeated: the CA then answers "already revoked".
      let revokedSerials: string[] = [];
      try {
        revokedSerials = (await app.ra.revoke(deviceEnrollmentId(derId), 'keycompromise')).serials;
      } catch (err) {
        if (toApiError(err).code !== 'ALREADY_REVOKED') throw err;
        // Revoked at the CA by an earlier attempt: regenerate the CRL now, which republishes it in the
        // directory (the attempt that revoked may have failed before it did). Not worth failing for.
        await app.ra.crlPem().catch((crlErr: unknown) => {
          request.log.warn(
            { err: crlErr, derId },
            'could not regenerate the CRL after a repeated revocation',
          );
        });
      }
      const { txId } = await app.ledger.registry.revokeDerCertificate(
        request,
        derId,
        der.certificate.serial,
        request.body.reason,
      );
      app.readingIngest.forgetDer(derId);
      request.log.info({ derId, serial: der.certificate.serial, txId }, 'device certificate revoked');
      return { derId, revokedSerials, txId };
    },
  );
};

export default routes;
