import { scaleDownOrder } from 'tokenscale';

const replica = (name: string, readyAtSeconds: number, uid: number) => ({ name, readyAtSeconds, uid });
const names = (rs: ReadonlyArray<{ name: string }>) => rs.map((r) => r.name);

describe('the order a scale-down removes replicas in (the ReplicaSet controller\'s ranking)', () => {
  test('replicas not ready yet go first, then the most recently ready', () => {
    const now = 10_000;
    const order = scaleDownOrder([
      replica('old', 0, 0.1),
      replica('starting', now + 100, 0.9),
      replica('recent', now - 60, 0.5),
      replica('middle', now - 1000, 0.2),
    ], now);
    expect(names(order)).toEqual(['starting', 'recent', 'middle', 'old']);
  });

  test('ready ages compare in log2 buckets of nanoseconds; within a bucket the UID order decides', () => {
    const now = 10_000;
    // 2^38 ns is 274.9 s and 2^39 ns 549.8 s: 300 s and 500 s share a bucket, 600 s is in the next.
    const order = scaleDownOrder([replica('300s', now - 300, 0.8), replica('500s', now - 500, 0.3), replica('600s', now - 600, 0.1)], now);
    expect(names(order)).toEqual(['500s', '300s', '600s']);
  });

  test('it does not look at how busy a replica is: the drain window keeps in-flight requests', () => {
    const busy = { ...replica('busy-new', 500, 0.5), running: 40 };
    const idle = { ...replica('idle-old', 0, 0.5), running: 0 };
    expect(names(scaleDownOrder([idle, busy], 1000))).toEqual(['busy-new', 'idle-old']);
  });

  test('pods whose node is still launching go before pods bound and loading, then doubled-up pods before pods alone on a node', () => {
    const now = 10_000;
    const order = scaleDownOrder([
      { name: 'alone', readyAtSeconds: now - 60, uid: 0.1, colocated: 1 },
      { name: 'shared', readyAtSeconds: now - 5000, uid: 0.9, colocated: 2 },
      { name: 'loading', readyAtSeconds: now + 100, uid: 0.2, createdAtSeconds: now - 200, boundAtSeconds: now - 80 },
      { name: 'unbound', readyAtSeconds: now + 250, uid: 0.8, createdAtSeconds: now - 50, boundAtSeconds: now + 70 },
    ], now);
    // The pod doubled up goes before the one alone though it has been ready far longer.
    expect(names(order)).toEqual(['unbound', 'loading', 'shared', 'alone']);
  });

  test('pods not ready compare by creation age, the newest bucket first, then by UID', () => {
    const now = 10_000;
    const starting = (name: string, createdAgo: number, uid: number) => ({
      name, readyAtSeconds: now + 300 - createdAgo, uid, createdAtSeconds: now - createdAgo,
    });
    // 30 s and 60 s are in different buckets (2^34 ns is 17.2 s, 2^35 ns 34.4 s); 40 s shares 60 s's.
    expect(names(scaleDownOrder([starting('60s', 60, 0.1), starting('30s', 30, 0.9), starting('40s', 40, 0.5)], now))).toEqual(['30s', '60s', '40s']);
  });
});
