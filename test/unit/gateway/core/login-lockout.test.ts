// The login lockout on its own, with a hand-moved clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginLockout } from '../../../../gateway/src/core/login-lockout';

describe('gateway/core/login-lockout', () => {
  it('should lock an id at the max-th failure within the window, until the oldest counted one expires', () => {
    let now = 1_000_000;
    const lockout = new LoginLockout(3, 60_000, () => now);
    lockout.failed('alice');
    now += 10_000;
    lockout.failed('alice');
    assert.equal(lockout.retryAfterSeconds('alice'), 0);
    now += 10_000;
    lockout.failed('alice');
    // Failures at 0 s, 10 s, 20 s: locked until the first is 60 s old.
    assert.equal(lockout.retryAfterSeconds('alice'), 40);
    assert.equal(lockout.retryAfterSeconds('bob'), 0);
    now += 39_500;
    assert.equal(lockout.retryAfterSeconds('alice'), 1);
    now += 500;
    assert.equal(lockout.retryAfterSeconds('alice'), 0);
  });

  it('should forget an id’s failures on success', () => {
    let now = 0;
    const lockout = new LoginLockout(2, 60_000, () => now);
    lockout.failed('carol');
    lockout.succeeded('carol');
    now += 1_000;
    lockout.failed('carol');
    assert.equal(lockout.retryAfterSeconds('carol'), 0);
    lockout.failed('carol');
    assert.equal(lockout.retryAfterSeconds('carol'), 60);
  });

  it('should count only failures inside the window', () => {
    let now = 0;
    const lockout = new LoginLockout(2, 60_000, () => now);
    lockout.failed('dave');
    now += 61_000;
    lockout.failed('dave');
    assert.equal(lockout.retryAfterSeconds('dave'), 0);
  });
});
