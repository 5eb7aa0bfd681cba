import { createHmac } from 'node:crypto';
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalizeHeaders,
  credentialScopeOf,
  deriveSigningKey,
  parseTc3Authorization,
  sha256Hex,
  signaturesEqual,
  signTc3,
  utcDateOf,
} from '../../../handler/clouds/tencentcloud';

/*
 * The worked examples of Tencent Cloud's "签名方法 v3" (Signature v3) page for CVM,
 * https://cloud.tencent.com/document/api/213/30654 , and its international English version,
 * https://www.tencentcloud.com/document/api/213/30654 . All three revisions sign the same
 * DescribeInstances request (timestamp 1551113065, region ap-guangzhou) and differ in the keys and the
 * signed headers:
 *
 * - the English page: SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE, SecretKey
 *   Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, signed headers content-type;host;
 * - the current Chinese page: the keys are shown masked as `AKID` + 32 `*` and 32 `*`, signed headers
 *   content-type;host;x-tc-action, and it publishes SecretDate, SecretService and SecretSigning too.
 *   The masking does not make it unreproducible: the published intermediates and signature are those of
 *   the masked string itself, so the whole chain is checked byte for byte;
 * - an earlier Chinese revision: SecretKey masked as Gu5t9xGARNpq86cd98joQYCN3******* (likewise the
 *   literal key of its published signature), signed headers content-type;host;x-tc-action.
 *
 * The body is the bytes the page shows, `\u672a\u547d\u540d` escapes included (JSON for 未命名).
 */
const PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const TIMESTAMP = 1551113065;
const CONTENT_TYPE = 'application/json; charset=utf-8';
const HOST = 'cvm.tencentcloudapi.com';

describe('TC3-HMAC-SHA256 against the English documentation example (content-type;host)', () => {
  const input = {
    method: 'POST' as const,
    canonicalQueryString: '',
    signedHeaders: { 'Content-Type': CONTENT_TYPE, 'Host': HOST },
    payload: PAYLOAD,
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    service: 'cvm',
    timestamp: TIMESTAMP,
  };

  test('hashes the payload as the page does', () => {
    // WHEN
    const hashed = sha256Hex(PAYLOAD);
    // THEN
    expect(hashed).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
  });

  test('reproduces the canonical request, string to sign, signature and Authorization', () => {
    // WHEN
    const signed = signTc3(input);

    // THEN
    expect(signed.canonicalRequest).toBe(
      'POST\n' +
        '/\n' +
        '\n' +
        'content-type:application/json; charset=utf-8\n' +
        'host:cvm.tencentcloudapi.com\n' +
        '\n' +
        'content-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(sha256Hex(signed.canonicalRequest)).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n' +
        '1551113065\n' +
        '2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, ' +
        'Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });
});

describe('TC3-HMAC-SHA256 against the current Chinese documentation example (content-type;host;x-tc-action)', () => {
  const maskedSecretId = `AKID${'*'.repeat(32)}`;
  const maskedSecretKey = '*'.repeat(32);
  const parts = {
    method: 'POST' as const,
    canonicalQueryString: '',
    signedHeaders: { 'Content-Type': CONTENT_TYPE, 'Host': HOST, 'X-TC-Action': 'DescribeInstances' },
    payload: PAYLOAD,
  };
  const expectedCanonicalRequest =
    'POST\n' +
    '/\n' +
    '\n' +
    'content-type:application/json; charset=utf-8\n' +
    'host:cvm.tencentcloudapi.com\n' +
    'x-tc-action:describeinstances\n' +
    '\n' +
    'content-type;host;x-tc-action\n' +
    '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064';
  const expectedStringToSign =
    'TC3-HMAC-SHA256\n' +
    '1551113065\n' +
    '2019-02-25/cvm/tc3_request\n' +
    '7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84';

  test('builds the canonical request with the action lowercased, and the string to sign', () => {
    // WHEN
    const { canonicalRequest, signedHeaderNames } = buildCanonicalRequest(parts);
    const stringToSign = buildStringToSign(TIMESTAMP, credentialScopeOf(utcDateOf(TIMESTAMP), 'cvm'), canonicalRequest);

    // THEN
    expect(canonicalRequest).toBe(expectedCanonicalRequest);
    expect(signedHeaderNames).toBe('content-type;host;x-tc-action');
    expect(stringToSign).toBe(expectedStringToSign);
  });

  test('derives the published SecretDate, SecretService and SecretSigning', () => {
    // GIVEN the derivation steps one by one, as the page lists them
    const hmac = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest();

    // WHEN
    const secretDate = hmac(`TC3${maskedSecretKey}`, '2019-02-25');
    const secretService = hmac(secretDate, 'cvm');
    const signingKey = deriveSigningKey(maskedSecretKey, '2019-02-25', 'cvm');

    // THEN
    expect(secretDate.toString('hex')).toBe('da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0');
    expect(secretService.toString('hex')).toBe('8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f');
    expect(signingKey.toString('hex')).toBe('b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af');
  });

  test('reproduces the published signature and Authorization', () => {
    // WHEN
    const signed = signTc3({ ...parts, secretId: maskedSecretId, secretKey: maskedSecretKey, service: 'cvm', timestamp: TIMESTAMP });

    // THEN
    expect(signed.stringToSign).toBe(expectedStringToSign);
    expect(signed.signature).toBe('10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f');
    expect(signed.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=${maskedSecretId}/2019-02-25/cvm/tc3_request, ` +
        'SignedHeaders=content-type;host;x-tc-action, ' +
        'Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f',
    );
  });

  test('reproduces the earlier revision signed with Gu5t9xGARNpq86cd98joQYCN3*******', () => {
    // WHEN
    const signed = signTc3({
      ...parts,
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      service: 'cvm',
      timestamp: TIMESTAMP,
    });

    // THEN
    expect(signed.canonicalRequest).toBe(expectedCanonicalRequest);
    expect(signed.signature).toBe('be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3');
  });
});

describe('TC3 building blocks', () => {
  test('the credential date is the UTC date, even where the local date has moved on', () => {
    // GIVEN 2019-02-26 00:44:25 in UTC+8 is still 2019-02-25 in UTC (the page's own warning)
    // WHEN / THEN
    expect(utcDateOf(TIMESTAMP)).toBe('2019-02-25');
    expect(utcDateOf(Date.UTC(2024, 0, 1, 0, 0, 0) / 1000)).toBe('2024-01-01');
    expect(utcDateOf(Date.UTC(2024, 0, 1, 0, 0, 0) / 1000 - 1)).toBe('2023-12-31');
  });

  test('canonical headers are sorted by lowercase name with trimmed, lowercased values', () => {
    // WHEN
    const { canonicalHeaders, signedHeaderNames } = canonicalizeHeaders({
      'X-TC-Action': ' CreateKeyPair ',
      'host': '127.0.0.1:8080',
      'Content-Type': 'application/json; charset=utf-8',
    });

    // THEN
    expect(canonicalHeaders).toBe('content-type:application/json; charset=utf-8\nhost:127.0.0.1:8080\nx-tc-action:createkeypair\n');
    expect(signedHeaderNames).toBe('content-type;host;x-tc-action');
  });

  test('parses the Authorization it formats, and rejects other shapes', () => {
    // GIVEN
    const { authorization, signature } = signTc3({
      method: 'POST',
      canonicalQueryString: '',
      signedHeaders: { 'content-type': CONTENT_TYPE, 'host': HOST },
      payload: '{}',
      secretId: 'AKIDexample',
      secretKey: 'example-secret',
      service: 'cvm',
      timestamp: TIMESTAMP,
    });

    // WHEN
    const parsed = parseTc3Authorization(authorization);

    // THEN
    expect(parsed).toEqual({
      secretId: 'AKIDexample',
      date: '2019-02-25',
      service: 'cvm',
      signedHeaderNames: ['content-type', 'host'],
      signature,
    });
    expect(parseTc3Authorization(authorization.replace('TC3-HMAC-SHA256', 'HMAC-SHA1'))).toBeUndefined();
    expect(parseTc3Authorization('TC3-HMAC-SHA256 Credential=AKIDexample/2019-02-25/cvm/tc3_request')).toBeUndefined();
    expect(signaturesEqual(signature, signature)).toBe(true);
    expect(signaturesEqual(signature, signature.replace(/^./, signature[0] === 'a' ? 'b' : 'a'))).toBe(false);
    expect(signaturesEqual(signature, signature.slice(1))).toBe(false);
  });
});
