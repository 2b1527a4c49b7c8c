import { readFile } from 'node:fs/promises';
import type { RoutePlugin } from '../../core/schema-types';
import { errorResponses } from '../../schemas/common';

const PEM = 'application/x-pem-file';

// Public PKI material, for anyone who must check this org's certificates.
const routes: RoutePlugin = async (app) => {
  app.get(
    '/v1/pki/ca-chain',
    {
      config: { public: true },
      schema: { tags: ['pki'], summary: "The org identity CA's certificate chain (PEM)" },
    },
    async (_request, reply) => reply.type(PEM).send(app.ra.caChainPem()),
  );

  // The consortium's TLS CA roots (the bundle the bring-up wrote): what a client verifies any
  // member's gateway against. Only as trustworthy as the connection it came over: fetch it from a
  // gateway whose org TLS root you already hold.
  app.get(
    '/v1/pki/tls-roots',
    {
      config: { public: true },
      schema: { tags: ['pki'], summary: "The consortium orgs' TLS CA root certificates (PEM)" },
    },
    async (_request, reply) => reply.type(PEM).send(await readFile(app.config.tls.rootsFile, 'utf8')),
  );

  app.get(
    '/v1/pki/crl',
    {
      config: { public: true },
      schema: {
        tags: ['pki'],
        summary: "The org identity CA's current CRL (PEM)",
        response: errorResponses(503),
      },
    },
    async (_request, reply) => reply.type(PEM).send(await app.ra.crlPem()),
  );
};

export default routes;
