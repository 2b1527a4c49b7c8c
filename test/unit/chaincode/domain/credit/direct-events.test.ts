import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDirectEvent,
  DIRECT_EVENT_AUTHORITIES,
  DIRECT_EVENT_MSP_IDS,
  directEventRolesOf,
  directEventTypesOf,
  type DirectEventCheck,
} from '../../../../../chaincode/src/domain/credit/direct-events';
import { KNOWN_CREDIT_EVENT_TYPES } from '../../../../../chaincode/src/domain/credit/rulebook';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const check = (changes: Partial<DirectEventCheck>): DirectEventCheck => ({
  mspId: 'RegulatorMSP',
  role: 'regulator',
  eventType: 'VIOLATION',
  participantType: 'vpp',
  intervalId: undefined,
  ...changes,
});

describe('domain/credit/direct-events', () => {
  describe('DIRECT_EVENT_AUTHORITIES', () => {
    it('should pin who records which event: only failures, each by its supervising organisation, none the market records', () => {
      assert.deepEqual(
        DIRECT_EVENT_AUTHORITIES.map((a) => [
          a.eventType,
          a.mspId,
          a.roles,
          a.participantTypes,
          a.requiresInterval,
        ]),
        [
          ['DISPATCH_NOT_ACKNOWLEDGED', 'ControlMSP', ['control', 'admin'], ['vpp'], true],
          ['VIOLATION', 'RegulatorMSP', ['regulator', 'admin'], ['vpp', 'der'], false],
        ],
      );
      for (const authority of DIRECT_EVENT_AUTHORITIES) {
        assert.ok(KNOWN_CREDIT_EVENT_TYPES.includes(authority.eventType));
      }
      assert.deepEqual(DIRECT_EVENT_MSP_IDS, ['ControlMSP', 'RegulatorMSP']);
    });
  });

  describe('#directEventRolesOf / #directEventTypesOf', () => {
    it('should list the roles and event types of each organisation, none for the CVPP and trading', () => {
      assert.deepEqual(directEventRolesOf('ControlMSP'), ['control', 'admin']);
      assert.deepEqual(directEventRolesOf('CvppMSP'), []);
      assert.deepEqual(directEventRolesOf('TradingMSP'), []);
      assert.deepEqual(directEventTypesOf('TradingMSP', 'admin'), []);
      assert.deepEqual(directEventTypesOf('TradingMSP', 'operator'), []);
      assert.deepEqual(directEventTypesOf('CvppMSP', 'admin'), []);
    });
  });

  describe('#checkDirectEvent', () => {
    it('should accept each listed organisation, role and participant type', () => {
      assert.equal(checkDirectEvent(check({ participantType: 'der', role: 'admin' })).eventType, 'VIOLATION');
      assert.equal(
        checkDirectEvent(
          check({
            mspId: 'ControlMSP',
            role: 'control',
            eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
            intervalId: 'i-1',
          }),
        ).mspId,
        'ControlMSP',
      );
    });

    it('should refuse other organisations, roles and event types with FORBIDDEN', () => {
      const forbidden = vppError(ErrorCode.FORBIDDEN);
      assert.throws(
        () => checkDirectEvent(check({ mspId: 'CvppMSP', role: 'admin' })),
        /may record no event type/,
      );
      assert.throws(() => checkDirectEvent(check({ mspId: 'TradingMSP', role: 'trading' })), forbidden);
      assert.throws(() => checkDirectEvent(check({ role: 'trading' })), forbidden);
      assert.throws(() => checkDirectEvent(check({ eventType: 'DELIVERY_WITHIN_TOLERANCE' })), forbidden);
      assert.throws(
        () =>
          checkDirectEvent(
            check({ mspId: 'ControlMSP', role: 'control', eventType: 'DISPATCH_ACKNOWLEDGED' }),
          ),
        forbidden,
      );
    });

    it('should refuse BID_NOT_REVEALED from anyone with FORBIDDEN: the market records it itself', () => {
      const unrevealed = { eventType: 'BID_NOT_REVEALED', intervalId: 'i-1' } as const;
      for (const [mspId, role] of [
        ['TradingMSP', 'trading'],
        ['TradingMSP', 'admin'],
        ['ControlMSP', 'control'],
        ['RegulatorMSP', 'regulator'],
        ['CvppMSP', 'admin'],
      ] as const) {
        assert.throws(
          () => checkDirectEvent(check({ ...unrevealed, mspId, role })),
          vppError(
            ErrorCode.FORBIDDEN,
            /BID_NOT_REVEALED cannot be recorded directly: the market records it itself .*reveal deadline/,
          ),
          `${mspId}/${role}`,
        );
      }
    });

    it('should refuse a participant type the event cannot concern, and a missing interval', () => {
      const invalid = vppError(ErrorCode.INVALID_ARGUMENT);
      const control = {
        mspId: 'ControlMSP',
        role: 'control',
        eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
      } as const;
      assert.throws(
        () => checkDirectEvent(check({ ...control, participantType: 'der', intervalId: 'i-1' })),
        invalid,
      );
      assert.throws(
        () => checkDirectEvent(check(control)),
        vppError(ErrorCode.INVALID_ARGUMENT, /intervalId/),
      );
    });
  });
});
