import { CLOUDS } from '../emulator';
import { cloudLabel, CloudName } from '../handler/http/cloud-api-error';
import { KeyPairCloud } from '../src';

describe('KeyPairCloud', () => {
  test('names exactly the clouds the handler and the emulator serve', () => {
    const fromEnum: CloudName[] = Object.values(KeyPairCloud);
    expect([...fromEnum].sort()).toEqual([...CLOUDS].sort());
    expect(fromEnum.map(cloudLabel)).toEqual(['Alibaba Cloud ECS', 'Tencent Cloud CVM', 'UCloud UHost']);
  });
});
