/**
 * Rate limits on the public and login routes (@fastify/rate-limit, counted in this gateway's memory),
 * as preHandler hooks so that keys can use the parsed body:
 * - `POST /v1/readings`: per client address (requests) and per device (each reading counts against
 *   its DER: a concentrator's batch of several devices costs each device what it carries, and one
 *   device over its limit refuses the whole request, nothing ingested);
 * - `POST /v1/devices/{derId}/enroll`: per address and per DER;
 * - `POST /v1/auth/token`: per address and per enrollment id (the lockout after failed logins is
 *   core/login-lockout.ts, applied by the login route).
 * Over a limit: 429 RATE_LIMITED with Retry-After (seconds), counted in /metrics by the error handler.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../core/api-error';
import { LoginLockout } from '../../core/login-lockout';
import type { AppPorts } from '../../app';
import type { GatewayConfig, RateLimit } from '../../config';

type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: {
      readings: PreHandler;
      enrollment: PreHandler;
      login: PreHandler;
      checkpointReads: PreHandler;
    };
    loginLockout: LoginLockout;
  }
}

/** What a limiter is handed: the key to count under (the plugin reads the route config too). */
interface Counted {
  readonly limitKey: string;
  readonly routeOptions: { readonly config: Record<string, never> };
}

/** One counted key and what it is, for the refusal's message. */
interface Charge {
  readonly limiter: Limiter;
  readonly key: string;
}
type Limiter = (key: string) => Promise<{ exceeded: boolean; retryAfterSeconds: number }>;

export const rateLimited = (what: string, retryAfterSeconds: number) =>
  new ApiError(429, 'RATE_LIMITED', `too many ${what}; retry in ${retryAfterSeconds} s`);

export default fp(
  async (app, opts: { config: GatewayConfig; ports: AppPorts }) => {
    await app.register(rateLimit, { global: false });
    const limits = opts.config.rateLimits;
    const { max, windowSeconds } = limits.loginLockout;
    app.decorate('loginLockout', new LoginLockout(max, windowSeconds * 1000, opts.ports.clock));

    function limiter(name: string, limit: RateLimit): Limiter {
      const check = app.createRateLimit({
        max: limit.max,
        timeWindow: limit.windowSeconds * 1000,
        keyGenerator: (request) => `${name}:${(request as unknown as Counted).limitKey}`,
      });
      return async (key) => {
        const counted: Counted = { limitKey: key, routeOptions: { config: {} } };
        const result = await check(counted as unknown as FastifyRequest);
        if (result.isAllowed) return { exceeded: false, retryAfterSeconds: 0 };
        return { exceeded: result.isExceeded, retryAfterSeconds: Math.max(1, result.ttlInSeconds) };
      };
    }

    /** Counts every charge; the first one over its limit answers 429 with Retry-After. */
    async function charge(reply: FastifyReply, what: string, charges: readonly Charge[]): Promise<void> {
      let retryAfter = 0;
      for (const { limiter: limit, key } of charges) {
        const { exceeded, retryAfterSeconds } = await limit(key);
        if (exceeded) retryAfter = Math.max(retryAfter, retryAfterSeconds);
      }
      if (retryAfter > 0) {
        void reply.header('retry-after', String(retryAfter));
        throw rateLimited(what, retryAfter);
      }
    }

    const readingsPerAddress = limiter('readings-address', limits.readingRequestsPerAddress);
    const readingsPerDevice = limiter('readings-der', limits.readingsPerDevice);
    const enrollPerAddress = limiter('enroll-address', limits.enrollmentsPerAddress);
    const enrollPerDer = limiter('enroll-der', limits.enrollmentsPerDer);
    const loginPerAddress = limiter('login-address', limits.loginsPerAddress);
    const loginPerId = limiter('login-id', limits.loginsPerEnrollmentId);
    const checkpointReadsPerAddress = limiter('checkpoints-address', limits.checkpointReadsPerAddress);

    app.decorate('rateLimits', {
      async readings(request, reply) {
        const { readings } = request.body as { readings: readonly unknown[] };
        await charge(reply, 'readings', [
          { limiter: readingsPerAddress, key: request.ip },
          // A malformed item (no DER id) is rejected on its own later and charges no device.
          ...readings.flatMap((reading) => {
            const derId = (reading as { derId?: unknown } | null)?.derId;
            return typeof derId === 'string' ? [{ limiter: readingsPerDevice, key: derId }] : [];
          }),
        ]);
      },
      async enrollment(request, reply) {
        const { derId } = request.params as { derId: string };
        await charge(reply, 'enrollments', [
          { limiter: enrollPerAddress, key: request.ip },
          { limiter: enrollPerDer, key: derId },
        ]);
      },
      async login(request, reply) {
        const { enrollmentId } = request.body as { enrollmentId: string };
        await charge(reply, 'logins', [
          { limiter: loginPerAddress, key: request.ip },
          { limiter: loginPerId, key: enrollmentId },
        ]);
      },
      async checkpointReads(request, reply) {
        await charge(reply, 'checkpoint reads', [{ limiter: checkpointReadsPerAddress, key: request.ip }]);
      },
    } satisfies FastifyInstance['rateLimits']);
  },
  { name: 'rate-limits' },
);
