import { expectedAcs3Signature, readAcs3Authorization } from '../../emulator/clouds/alicloud/acs3-signature';
import { alicloudCanonicalQuery, alicloudPercentEncode } from '../../emulator/clouds/alicloud/canonical-query';
import { expectedRpcSignature } from '../../emulator/clouds/alicloud/rpc-signature';
import { flattenJsonParameters } from '../../emulator/clouds/ucloud/parameters';
import { expectedUcloudSignature, sameUcloudSignature } from '../../emulator/clouds/ucloud/signature';

/**
 * The emulator's signature verifiers reproduce the worked examples the clouds publish, byte for byte:
 * they are checked against the clouds' own numbers, never against the handler's signer (the handler's
 * tests check it against the same examples, so the two sides meet only in what the clouds wrote).
 */

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('Alibaba ACS3-HMAC-SHA256: the "V3 request structure and signature" page\'s fixed-value example', () => {
  const request = {
    method: 'POST',
    path: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    headers: {
      'host': 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': EMPTY_BODY_SHA256,
    },
    body: '',
  };
  const authorization =
    'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,' +
    'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
    'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0';

  test('the Authorization header reads back, and the signature is the page\'s', () => {
    // WHEN
    const received = readAcs3Authorization(authorization)!;

    // THEN
    expect(received.accessKeyId).toBe('YourAccessKeyId');
    expect(expectedAcs3Signature(request, received.signedHeaderNames, 'YourAccessKeySecret')).toBe(received.signature);
  });

  test('a header left out of the signed list, or a body that is not the one hashed, changes the signature', () => {
    // GIVEN
    const received = readAcs3Authorization(authorization)!;

    // THEN
    expect(expectedAcs3Signature(request, received.signedHeaderNames.filter((name) => name !== 'x-acs-date'), 'YourAccessKeySecret')).not.toBe(received.signature);
    expect(expectedAcs3Signature({ ...request, body: 'RegionId=cn-shanghai' }, received.signedHeaderNames, 'YourAccessKeySecret')).not.toBe(received.signature);
  });

  test('what is not an ACS3 Authorization header is not read as one', () => {
    expect(readAcs3Authorization(undefined)).toBeUndefined();
    expect(readAcs3Authorization('TC3-HMAC-SHA256 Credential=x')).toBeUndefined();
    expect(readAcs3Authorization('ACS3-HMAC-SHA256 Credential=id,Signature=abc')).toBeUndefined();
  });
});

describe('Alibaba RPC HMAC-SHA1: the "signature method V2 for RPC APIs" page\'s example', () => {
  const params = {
    AccessKeyId: 'testid',
    Action: 'DescribeDedicatedHosts',
    Format: 'JSON',
    RegionId: 'cn-beijing',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
    SignatureVersion: '1.0',
    Timestamp: '2023-03-13T08:34:30Z',
    Version: '2014-05-26',
  };

  test('the signature is the page\'s, with or without the Signature parameter among those received', () => {
    expect(expectedRpcSignature('GET', params, 'testsecret')).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
    expect(expectedRpcSignature('GET', { ...params, Signature: '9NaGiOspFP5UPcwX8Iwt2YJXXuk=' }, 'testsecret')).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
    expect(expectedRpcSignature('POST', params, 'testsecret')).not.toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
  });

  test('the canonical query is the page\'s', () => {
    expect(alicloudCanonicalQuery(params)).toBe(
      'AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1' +
        '&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26',
    );
  });
});

describe('Alibaba percent-encoding (both schemes)', () => {
  test('RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes, upper-case', () => {
    expect(alicloudPercentEncode('AZaz09-_.~')).toBe('AZaz09-_.~');
    expect(alicloudPercentEncode('a b*c+d/e=f&g:h')).toBe('a%20b%2Ac%2Bd%2Fe%3Df%26g%3Ah');
    expect(alicloudPercentEncode("!'()")).toBe('%21%27%28%29');
    expect(alicloudPercentEncode('密钥')).toBe('%E5%AF%86%E9%92%A5');
  });

  test('the canonical query orders names character by character: upper case before lower case', () => {
    expect(alicloudCanonicalQuery({ b: '2', Tag: 'x', a: '1', Tag2: 'y' })).toBe('Tag=x&Tag2=y&a=1&b=2');
    expect(alicloudCanonicalQuery({})).toBe('');
  });
});

/** The key pair UCloud's signature page (docs.ucloud.cn/api/summary/signature) publishes in full. */
const UCLOUD_DOC_PUBLIC_KEY = 'ucloudsomeone@example.com1296235120854146120';
const UCLOUD_DOC_PRIVATE_KEY = '46f09bb9fab4f12dfc160dae12273d5332b5debe';

describe('UCloud SHA-1 signature: the signature page\'s example', () => {
  test('the example\'s JSON body, read as the emulator reads one, carries the page\'s signature', () => {
    // GIVEN the body of the page's cURL example, `Limit` a JSON number
    const body = { Action: 'DescribeUHostInstance', Limit: 10, PublicKey: UCLOUD_DOC_PUBLIC_KEY, Region: 'cn-bj2', Signature: 'cba5cf5ec4d4233d206b1b54951e3787350a642f' };

    // WHEN
    const params = flattenJsonParameters(body);

    // THEN
    expect(params.Limit).toBe('10');
    expect(expectedUcloudSignature(params, UCLOUD_DOC_PRIVATE_KEY)).toBe(body.Signature);
    expect(sameUcloudSignature(body.Signature, body.Signature.toUpperCase())).toBe(true);
    expect(sameUcloudSignature(body.Signature, body.Signature.slice(1))).toBe(false);
  });

  test('names are ordered character by character (`CPU` before `ChargeType`), as the Python SDK\'s own example checks', () => {
    // GIVEN ucloud-sdk-python3's signature test parameters
    const params = flattenJsonParameters({
      Action: 'CreateUHostInstance',
      CPU: 2,
      ChargeType: 'Month',
      DiskSpace: 10,
      ImageId: 'f43736e1-65a5-4bea-ad2e-8a46e18883c2',
      LoginMode: 'Password',
      Memory: 2048,
      Name: 'Host01',
      Password: 'VUNsb3VkLmNu',
      PublicKey: UCLOUD_DOC_PUBLIC_KEY,
      Quantity: 1,
      Region: 'cn-bj2',
      Zone: 'cn-bj2-04',
    });

    // THEN
    expect(expectedUcloudSignature(params, UCLOUD_DOC_PRIVATE_KEY)).toBe('4f9ef5df2abab2c6fccd1e9515cb7e2df8c6bb65');
  });

  test('a JSON body\'s lists, objects and scalars become the flat parameters the signature covers', () => {
    // GIVEN eleven ids, so that `Ids.10` exists
    const ids = Array.from({ length: 11 }, (_, index) => `uhostkp-${index}`);

    // WHEN
    const flat = flattenJsonParameters({ KeyPairIds: ids, Tag: { Key: 'team' }, On: true, Ratio: 42.5, Big: 1e21, Tiny: 1.5e-7, Gone: null });

    // THEN
    expect(flat).toMatchObject({ 'KeyPairIds.0': 'uhostkp-0', 'KeyPairIds.10': 'uhostkp-10', 'Tag.Key': 'team', 'On': 'true', 'Ratio': '42.5' });
    expect(flat).toMatchObject({ Big: '1000000000000000000000', Tiny: '0.00000015' });
    expect(flat).not.toHaveProperty('Gone');
  });
});
