import { readFile } from 'node:fs/promises';
import { orgDn } from '../../../../platform/src/directory-layout';
import { ApiError } from '../../core/api-error';
import { CRL_ATTRIBUTE, USER_CERTIFICATE } from '../../directory/entries';
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

  // Where LDAP clients find the same certificates and CRL (README: LDAP certificate directory).
  app.get(
    '/v1/pki/directory',
    {
      config: { public: true },
      schema: {
        tags: ['pki'],
        summary: "The LDAP certificate directory: its URL, base DN and this org's entry",
        response: {
          200: {
            type: 'object',
            required: ['url', 'baseDn', 'orgDn', 'certificateAttribute', 'crlAttribute'],
            properties: {
              url: { type: 'string' },
              baseDn: { type: 'string' },
              orgDn: {
                type: 'string',
                description: "the org CA's entry: its root and CRL; identities below it",
              },
              certificateAttribute: { type: 'string' },
              crlAttribute: { type: 'string' },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    async () => {
      const { directory } = app.config;
      if (!directory)
        throw new ApiError(
          404,
          'DIRECTORY_NOT_CONFIGURED',
          'the topology of this network has no LDAP directory',
        );
      return {
        url: directory.url,
        baseDn: directory.baseDn,
        orgDn: orgDn(directory.baseDn, app.config.org.mspId),
        certificateAttribute: USER_CERTIFICATE,
        crlAttribute: CRL_ATTRIBUTE,
      };
    },
  );
};

export default routes;
