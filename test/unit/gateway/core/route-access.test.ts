import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteEntry } from '../../../../gateway/src/app';
import { refusalOf, routesOpenTo } from '../../../../gateway/src/core/route-access';

const entry = (url: string, rule: Partial<RouteEntry>): RouteEntry => ({
  method: 'GET',
  url,
  roles: [],
  orgs: ['cvpp', 'trading', 'control', 'regulator'],
  public: false,
  ...rule,
});

describe('core/route-access', () => {
  describe('#refusalOf', () => {
    it('should let a listed role through on a gateway that serves the route', () => {
      assert.equal(refusalOf({ roles: ['operator'] }, 'operator', 'cvpp'), undefined);
      assert.equal(refusalOf({ roles: ['operator'], orgs: ['cvpp'] }, 'operator', 'cvpp'), undefined);
    });

    it('should refuse the role first, then the organisation, each with its code', () => {
      const role = refusalOf({ roles: ['regulator'], orgs: ['regulator'] }, 'operator', 'cvpp');
      assert.deepEqual(
        [role?.status, role?.code, role?.message],
        [403, 'FORBIDDEN', 'role operator may not call this route; allowed: regulator'],
      );
      const org = refusalOf({ roles: ['operator'], orgs: ['regulator'] }, 'operator', 'cvpp');
      assert.deepEqual(
        [org?.status, org?.code, org?.message],
        [403, 'ORG_NOT_ALLOWED', "only the gateway of regulator serves this route; this is cvpp's"],
      );
      assert.equal(refusalOf({}, 'admin', 'cvpp')?.code, 'FORBIDDEN', 'no roles declared: nobody');
    });
  });

  describe('#routesOpenTo', () => {
    it('should list the public routes and those the rule lets through, sorted by url then method', () => {
      const table = [
        entry('/v1/z', { roles: ['operator'] }),
        entry('/v1/a', { roles: ['operator'], method: 'POST' }),
        entry('/v1/a', { roles: ['operator'] }),
        entry('/v1/reg', { roles: ['operator'], orgs: ['regulator'] }),
        entry('/v1/other', { roles: ['admin'] }),
        entry('/health', { public: true }),
      ];
      assert.deepEqual(routesOpenTo(table, 'operator', 'cvpp'), [
        { method: 'GET', url: '/health' },
        { method: 'GET', url: '/v1/a' },
        { method: 'POST', url: '/v1/a' },
        { method: 'GET', url: '/v1/z' },
      ]);
    });
  });
});
