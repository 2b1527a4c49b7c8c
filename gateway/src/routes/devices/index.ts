// Device identities through the registration authority. A device is registered with the CVPP CA by
// an operator (one-time secret), enrolls itself with its own CSR (the key never leaves the device),
// and is revoked at the CA and on chain in one request.
import { DER_ID_ATTRIBUTE, VPP_ID_ATTRIBUTE } from '../../../../chaincode/src/api';
import { ApiError } from '../../core/api-error';
import { toApiError } from '../../core/fabric-errors';
import type { RoutePlugin } from '../../core/schema-types';
import { deviceEnrollmentId } from '../../telemetry/device-identity';
import { enrollDeviceSchema, registerDeviceSchema, revokeDeviceSchema } from '../../schemas/ders';

const routes: RoutePlugin = async (app) => {
  app.post(
    '/v1/devices',
    { config: { roles: ['operator', 'admin'] }, schema: registerDeviceSchema },
    async (request, reply) => {
      const { derId, vppId } = request.body;
      const enrollmentId = deviceEnrollmentId(derId);
      const { secret } = await app.ra.register({
        enrollmentId,
        role: 'device',
        attrs: { [DER_ID_ATTRIBUTE]: derId, [VPP_ID_ATTRIBUTE]: vppId },
      });
      request.log.info({ derId, vppId, enrollmentId }, 'device identity registered');
      return reply.code(201).send({ derId, enrollmentId, secret });
    },
  );

  // Authenticated by the one-time secret, which the CA checks; no token exists yet for a device.
  app.post(
    '/v1/devices/:derId/enroll',
    { config: { public: true }, schema: enrollDeviceSchema, preHandler: app.rateLimits.enrollment },
    async (request, reply) => {
      const { derId } = request.params;
      const certificatePem = await app.ra.enrollCsr(
        deviceEnrollmentId(derId),
        request.body.secret,
        request.body.csr,
      );
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
