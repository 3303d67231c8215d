import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/storage/keyed-lock.js';

const never = new AbortController().signal;

describe('KeyedLock', () => {
  it('serves one key first come, first served, and forgets a key nobody holds', async () => {
    const lock = new KeyedLock();
    const order: number[] = [];
    const first = await lock.acquire('u', never);
    const waiters = [1, 2, 3].map((n) =>
      lock.acquire('u', never).then((release) => (order.push(n), release)),
    );
    const other = await lock.acquire('v', never); // another key does not wait
    other();
    first();
    for (const waiter of waiters) (await waiter)();
    expect(order).toEqual([1, 2, 3]);
    expect(lock.isHeld('u')).toBe(false);
    expect(lock.isHeld('v')).toBe(false);
  });

  it('drops an aborted waiter from the queue, and a second release wakes no one twice', async () => {
    const lock = new KeyedLock();
    const release = await lock.acquire('u', never);
    const controller = new AbortController();
    const aborted = lock.acquire('u', controller.signal);
    const next = lock.acquire('u', never);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'STORE_LOCK_TIMEOUT' });
    release();
    release();
    const releaseNext = await next;
    expect(lock.isHeld('u')).toBe(true);
    releaseNext();
    expect(lock.isHeld('u')).toBe(false);
    await expect(lock.acquire('u', AbortSignal.abort())).rejects.toMatchObject({
      code: 'STORE_LOCK_TIMEOUT',
    });
  });
});
