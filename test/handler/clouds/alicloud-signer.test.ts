import {
  acs3CanonicalRequest,
  canonicalQueryString,
  parseAcs3Authorization,
  percentEncode,
  rpcCanonicalizedQueryString,
  rpcSignature,
  rpcStringToSign,
  sha256Hex,
  signAcs3,
  tagParams,
} from '../../../handler/clouds/alicloud';

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The worked example of Alibaba Cloud's "V3 request structure and signature" page
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
 * section "Signature examples" → "Fixed parameter values"). The page publishes the full inputs (the
 * secret is the placeholder `YourAccessKeySecret`, not masked), so every step is reproduced byte for
 * byte. Its final "add the signature to the request" listing shows a different date and nonce than the
 * fixed values; the signature it shows is the one of the fixed values, which is what is checked here.
 */
describe('ACS3-HMAC-SHA256 against the published V3 example', () => {
  const parts = {
    method: 'POST',
    canonicalUri: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    headers: {
      'host': 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': EMPTY_BODY_SHA256,
    },
    hashedPayload: sha256Hex(''),
  };

  test('canonical request, string to sign, signature and Authorization header match the page', () => {
    // WHEN
    const signed = signAcs3(parts, 'YourAccessKeyId', 'YourAccessKeySecret');

    // THEN
    expect(signed.canonicalRequest).toBe(
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action:RunInstances',
        'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-acs-date:2023-10-26T10:22:32Z',
        'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
        'x-acs-version:2014-05-26',
        '',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe('ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    expect(signed.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
    expect(signed.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,' +
        'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  test('header names in any case and padded values canonicalize the same; unsigned headers are left out', () => {
    // GIVEN
    const messy = {
      ...parts,
      headers: {
        'Host': ' ecs.cn-shanghai.aliyuncs.com ',
        'X-Acs-Action': 'RunInstances',
        'x-acs-version': '2014-05-26',
        'X-ACS-DATE': '2023-10-26T10:22:32Z',
        'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
        'x-acs-content-sha256': EMPTY_BODY_SHA256,
        'accept': 'application/json',
        'user-agent': 'anything',
      },
    };

    // WHEN
    const signed = signAcs3(messy, 'YourAccessKeyId', 'YourAccessKeySecret');

    // THEN
    expect(signed.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
  });

  test('a verifier that passes the received SignedHeaders list recomputes the same signature', () => {
    // GIVEN
    const signed = signAcs3(parts, 'YourAccessKeyId', 'YourAccessKeySecret');
    const received = parseAcs3Authorization(signed.authorization);

    // WHEN
    const recomputed = acs3CanonicalRequest({ ...parts, signedHeaderNames: received?.signedHeaderNames });

    // THEN
    expect(received).toEqual({
      accessKeyId: 'YourAccessKeyId',
      signedHeaderNames: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
      signature: signed.signature,
    });
    expect(recomputed.canonicalRequest).toBe(signed.canonicalRequest);
  });

  test('an STS token header is signed like every x-acs- header', () => {
    // WHEN
    const signed = signAcs3(
      { ...parts, headers: { ...parts.headers, 'x-acs-security-token': 'sts-token', 'x-acs-accesskey-id': 'YourAccessKeyId' } },
      'YourAccessKeyId',
      'YourAccessKeySecret',
    );

    // THEN
    expect(signed.signedHeaders).toBe(
      'host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version',
    );
    expect(signed.canonicalRequest).toContain('\nx-acs-security-token:sts-token\n');
    expect(signed.signature).not.toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
  });

  test('something that is not an ACS3 Authorization header parses to undefined', () => {
    expect(parseAcs3Authorization(undefined)).toBeUndefined();
    expect(parseAcs3Authorization('TC3-HMAC-SHA256 Credential=x')).toBeUndefined();
    expect(parseAcs3Authorization('ACS3-HMAC-SHA256 Credential=id,Signature=abc')).toBeUndefined();
  });
});

/**
 * The worked example of Alibaba Cloud's "Request syntax and signature method V2 for RPC APIs" page
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism, "Signature example":
 * DescribeDedicatedHosts, AccessKeyId `testid`, AccessKeySecret `testsecret`), reproduced byte for byte.
 * Older versions of the ECS signature page published a DescribeDedicatedHosts example whose
 * SignatureNonce is masked (`3ee8c1b8-xxxx-xxxx-xxxx-xxxxxxxxx`): that one cannot be reproduced, so the
 * current page's complete example is the one used.
 */
describe('RPC HMAC-SHA1 against the published V2 example', () => {
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

  test('canonicalized query string, string to sign and signature match the page', () => {
    // WHEN
    const stringToSign = rpcStringToSign('GET', params);

    // THEN
    expect(rpcCanonicalizedQueryString(params)).toBe(
      'AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1' +
        '&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26',
    );
    expect(stringToSign).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing' +
        '%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26',
    );
    expect(rpcSignature('testsecret', stringToSign)).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
  });

  test('a Signature parameter already present is not signed, and the method is part of the signature', () => {
    // GIVEN
    const withSignature = { ...params, Signature: '9NaGiOspFP5UPcwX8Iwt2YJXXuk=' };

    // THEN
    expect(rpcStringToSign('GET', withSignature)).toBe(rpcStringToSign('GET', params));
    expect(rpcSignature('testsecret', rpcStringToSign('POST', params))).not.toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
  });

  test('an STS token is signed as the SecurityToken parameter', () => {
    // WHEN
    const stringToSign = rpcStringToSign('POST', { ...params, SecurityToken: 'sts/token+value' });

    // THEN
    expect(stringToSign).toContain('%26SecurityToken%3Dsts%252Ftoken%252Bvalue%26');
  });
});

describe('encoding rules shared by both schemes', () => {
  test('RFC 3986: unreserved characters stay, space is %20, * ( ) ! \' are encoded, UTF-8 bytes in uppercase hex', () => {
    expect(percentEncode('AZaz09-_.~')).toBe('AZaz09-_.~');
    expect(percentEncode('a b*c+d/e=f&g:h')).toBe('a%20b%2Ac%2Bd%2Fe%3Df%26g%3Ah');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('密钥')).toBe('%E5%AF%86%E9%92%A5');
    expect(percentEncode('["k1","k2"]')).toBe('%5B%22k1%22%2C%22k2%22%5D');
  });

  test('the canonical query sorts by name, and an empty query is the empty string', () => {
    expect(canonicalQueryString({ b: '2', Tag: 'x', a: '1', Tag2: 'y' })).toBe('Tag=x&Tag2=y&a=1&b=2');
    expect(canonicalQueryString({})).toBe('');
  });

  test('tags are flattened 1-based, as the SDK does', () => {
    expect(tagParams({ team: 'infra', owner: '' })).toEqual({
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'infra',
      'Tag.2.Key': 'owner',
      'Tag.2.Value': '',
    });
    expect(tagParams(undefined)).toEqual({});
  });
});
