import {
  flattenUcloudParams,
  renderUcloudScalar,
  signedUcloudParams,
  signUcloudParams,
  ucloudCanonicalParams,
  ucloudSignatureOf,
  ucloudSignaturesEqual,
  ucloudStringToSign,
} from '../../../handler/clouds/ucloud/signer';

/**
 * The key pair UCloud publishes for checking an implementation, on its signature page
 * https://docs.ucloud.cn/api/summary/signature (source: UCloudDoc-Team/api `summary/signature.md`),
 * in full (nothing masked); the official SDKs' own signature tests use the same pair.
 */
const DOC_PUBLIC_KEY = 'ucloudsomeone@example.com1296235120854146120';
const DOC_PRIVATE_KEY = '46f09bb9fab4f12dfc160dae12273d5332b5debe';

describe('UCloud signer', () => {
  test('reproduces the worked example of the signature documentation byte for byte', () => {
    // GIVEN the request parameters of https://docs.ucloud.cn/api/summary/signature ("数据假设")
    const params = flattenUcloudParams({
      Action: 'DescribeUHostInstance',
      Region: 'cn-bj2',
      Limit: 10,
      PublicKey: DOC_PUBLIC_KEY,
    });

    // WHEN
    const canonical = ucloudCanonicalParams(params);
    const stringToSign = ucloudStringToSign(params, DOC_PRIVATE_KEY);
    const signature = ucloudSignatureOf(stringToSign);

    // THEN: step 2 ("构造被签名参数串") and the published Signature
    expect(canonical).toBe('ActionDescribeUHostInstanceLimit10PublicKeyucloudsomeone@example.com1296235120854146120Regioncn-bj2');
    expect(stringToSign).toBe(
      'ActionDescribeUHostInstanceLimit10PublicKeyucloudsomeone@example.com1296235120854146120Regioncn-bj2' +
        '46f09bb9fab4f12dfc160dae12273d5332b5debe',
    );
    expect(signature).toBe('cba5cf5ec4d4233d206b1b54951e3787350a642f');
  });

  test('signedUcloudParams adds PublicKey and the documented Signature, and drops null parameters', () => {
    // GIVEN the same example as the JS SDK's credential test (src/core/credential/index.test.ts), with a null `Foo`
    const input = {
      params: { Action: 'DescribeUHostInstance', Region: 'cn-bj2', Limit: 10, Foo: null },
      publicKey: DOC_PUBLIC_KEY,
      privateKey: DOC_PRIVATE_KEY,
    };

    // WHEN
    const sent = signedUcloudParams(input);

    // THEN
    expect(sent).toEqual({
      Action: 'DescribeUHostInstance',
      Region: 'cn-bj2',
      Limit: '10',
      PublicKey: DOC_PUBLIC_KEY,
      Signature: 'cba5cf5ec4d4233d206b1b54951e3787350a642f',
    });
  });

  test('reproduces the Python SDK test example (CreateUHostInstance, mixed-case keys)', () => {
    // GIVEN ucloud-sdk-python3 tests/test_unit/test_core/test_auth.py: `CPU` sorts before `ChargeType` (code unit order)
    const params = flattenUcloudParams({
      Action: 'CreateUHostInstance',
      CPU: 2,
      ChargeType: 'Month',
      DiskSpace: 10,
      ImageId: 'f43736e1-65a5-4bea-ad2e-8a46e18883c2',
      LoginMode: 'Password',
      Memory: 2048,
      Name: 'Host01',
      Password: 'VUNsb3VkLmNu',
      PublicKey: DOC_PUBLIC_KEY,
      Quantity: 1,
      Region: 'cn-bj2',
      Zone: 'cn-bj2-04',
    });

    // WHEN
    const canonical = ucloudCanonicalParams(params);
    const signature = signUcloudParams(params, DOC_PRIVATE_KEY);

    // THEN
    expect(canonical.startsWith('ActionCreateUHostInstanceCPU2ChargeTypeMonthDiskSpace10')).toBe(true);
    expect(signature).toBe('4f9ef5df2abab2c6fccd1e9515cb7e2df8c6bb65');
  });

  test('flattens lists 0-based and objects by name, and sorts Ids.10 before Ids.2', () => {
    // GIVEN eleven ids (so that index 10 exists) and a nested object
    const ids = Array.from({ length: 11 }, (_, index) => `uhostkp-${index}`);

    // WHEN
    const flat = flattenUcloudParams({ KeyPairIds: ids, Tag: { Key: 'team', Value: 'infra' }, Empty: '' });
    const canonical = ucloudCanonicalParams(flat);

    // THEN
    expect(flat['KeyPairIds.0']).toBe('uhostkp-0');
    expect(flat['KeyPairIds.10']).toBe('uhostkp-10');
    expect(flat['Tag.Key']).toBe('team');
    expect(flat).not.toHaveProperty('Empty');
    expect(canonical.startsWith('KeyPairIds.0uhostkp-0KeyPairIds.1uhostkp-1KeyPairIds.10uhostkp-10KeyPairIds.2uhostkp-2')).toBe(true);
  });

  test('renders scalars as the SDKs do: booleans, integers, floats without a zero fraction or exponent', () => {
    // GIVEN / WHEN / THEN (the rules listed under step 2 of the signature page)
    expect(renderUcloudScalar(true)).toBe('true');
    expect(renderUcloudScalar(false)).toBe('false');
    expect(renderUcloudScalar(42.0)).toBe('42');
    expect(renderUcloudScalar(42.1)).toBe('42.1');
    expect(renderUcloudScalar(1e21)).toBe('1000000000000000000000');
    expect(renderUcloudScalar(1.5e-7)).toBe('0.00000015');
    expect(() => renderUcloudScalar(Number.NaN)).toThrow(RangeError);
  });

  test('signs the STS token as an ordinary parameter', () => {
    // GIVEN
    const base = { params: { Action: 'DescribeUHostKeyPairs', Region: 'cn-bj2' }, publicKey: DOC_PUBLIC_KEY, privateKey: DOC_PRIVATE_KEY };

    // WHEN
    const withToken = signedUcloudParams({ ...base, securityToken: 'sts-token-value' });
    const withoutToken = signedUcloudParams(base);

    // THEN the token is sent, covered by the signature, and changes it
    expect(withToken.SecurityToken).toBe('sts-token-value');
    const { Signature: signature, ...signed } = withToken;
    expect(ucloudStringToSign(signed, DOC_PRIVATE_KEY)).toContain('SecurityTokensts-token-value');
    expect(signature).toBe(signUcloudParams(signed, DOC_PRIVATE_KEY));
    expect(signature).not.toBe(withoutToken.Signature);
  });

  test('a verifier can pass the received parameters, Signature included, and compare signatures', () => {
    // GIVEN parameters as a server receives them
    const received = signedUcloudParams({ params: { Action: 'DescribeUHostKeyPairs' }, publicKey: DOC_PUBLIC_KEY, privateKey: DOC_PRIVATE_KEY });

    // WHEN
    const recomputed = signUcloudParams(received, DOC_PRIVATE_KEY);

    // THEN
    expect(ucloudSignaturesEqual(recomputed, received.Signature)).toBe(true);
    expect(ucloudSignaturesEqual(recomputed, received.Signature.toUpperCase())).toBe(true);
    expect(ucloudSignaturesEqual(recomputed, signUcloudParams(received, 'wrong-private-key'))).toBe(false);
    expect(ucloudSignaturesEqual(recomputed, 'short')).toBe(false);
  });
});
