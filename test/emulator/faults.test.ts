import { startEmulator } from '../../emulator';
import { FaultQueue, parseFaultSpec } from '../../emulator/faults';

describe('FaultQueue', () => {
  test('applies a fault to as many matching requests as its count, then stops', () => {
    // GIVEN
    const faults = new FaultQueue();
    faults.add({ cloud: 'alicloud', action: 'CreateKeyPair', kind: 'throttle', count: 2 });
    // WHEN / THEN: other clouds and actions are untouched
    expect(faults.take('alicloud', 'DescribeKeyPairs')).toBeUndefined();
    expect(faults.take('tencentcloud', 'CreateKeyPair')).toBeUndefined();
    expect(faults.take('alicloud', 'CreateKeyPair')?.kind).toBe('throttle');
    expect(faults.pending()).toEqual([expect.objectContaining({ remaining: 1 })]);
    expect(faults.take('alicloud', 'CreateKeyPair')?.kind).toBe('throttle');
    expect(faults.take('alicloud', 'CreateKeyPair')).toBeUndefined();
  });

  test('a fault without an action matches every action, in the order faults were added', () => {
    const faults = new FaultQueue();
    faults.add({ cloud: 'ucloud', kind: 'server-error' });
    faults.add({ cloud: 'ucloud', kind: 'latency', latencyMs: 5 });
    expect(faults.take('ucloud', 'DeleteUHostKeyPairs')?.kind).toBe('server-error');
    expect(faults.take('ucloud', undefined)?.kind).toBe('latency');
    expect(faults.pending()).toEqual([]);
  });

  test('rejects unknown kinds and bad counts with a clear message', () => {
    const faults = new FaultQueue();
    expect(() => faults.add({ cloud: 'ucloud', kind: 'explode' as never })).toThrow(/unknown fault kind "explode"/);
    expect(() => faults.add({ cloud: 'ucloud', kind: 'throttle', count: 0 })).toThrow(/positive integer/);
  });

  test('a denied fault is answered before the action: afterAction and hold are refused', () => {
    const faults = new FaultQueue();
    expect(() => faults.add({ cloud: 'alicloud', kind: 'denied', afterAction: true })).toThrow(/a denied fault is answered before the action runs/);
    expect(() => faults.add({ cloud: 'alicloud', kind: 'denied', hold: true })).toThrow(/only a latency fault can hold/);
    faults.add({ cloud: 'alicloud', action: 'CreateKeyPair', kind: 'denied' });
    expect(faults.take('alicloud', 'CreateKeyPair')?.kind).toBe('denied');
    expect(parseFaultSpec('ucloud:denied:2:CreateUHostKeyPair')).toEqual({ cloud: 'ucloud', kind: 'denied', count: 2, action: 'CreateUHostKeyPair' });
  });
});

describe('parseFaultSpec', () => {
  test('reads cloud:kind[:count][:action]', () => {
    expect(parseFaultSpec('tencentcloud:throttle:3:CreateKeyPair')).toEqual({
      cloud: 'tencentcloud',
      kind: 'throttle',
      count: 3,
      action: 'CreateKeyPair',
    });
    expect(parseFaultSpec('alicloud:drop-connection')).toEqual({ cloud: 'alicloud', kind: 'drop-connection', count: undefined, action: undefined });
    expect(() => parseFaultSpec('aws:throttle')).toThrow(/cloud must be/);
  });
});

describe('the request journal', () => {
  test('records each API request with its action, status and whether the cloud ran it; reset clears it', async () => {
    const emulator = await startEmulator();
    try {
      // GIVEN a throttle, then an answer lost after the action ran
      emulator.injectFault({ cloud: 'tencentcloud', kind: 'throttle' });
      emulator.injectFault({ cloud: 'tencentcloud', kind: 'drop-connection', afterAction: true });
      const post = () =>
        fetch(`${emulator.endpoints.tencentcloud}/`, { method: 'POST', headers: { 'x-tc-action': 'DescribeKeyPairs' }, body: '{}' }).catch(() => undefined);
      // WHEN three describes are sent
      await post();
      await post();
      await post();
      // THEN each is journaled, in order (an empty body names no key pair)
      expect(emulator.requests('tencentcloud')).toEqual([
        { cloud: 'tencentcloud', action: 'DescribeKeyPairs', status: 200, handled: false, fault: 'throttle', keyPairNames: [] },
        { cloud: 'tencentcloud', action: 'DescribeKeyPairs', handled: true, fault: 'drop-connection', keyPairNames: [] },
        { cloud: 'tencentcloud', action: 'DescribeKeyPairs', status: 200, handled: true, fault: undefined, keyPairNames: [] },
      ]);
      expect(emulator.requests('alicloud')).toEqual([]);
      // WHEN reset THEN the journal is empty
      emulator.reset();
      expect(emulator.requests()).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });
});
