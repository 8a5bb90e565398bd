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
});
