import { expectedTc3Signature, readTc3Authorization, sameSignature, tc3DateOf } from '../../emulator/clouds/tencentcloud/tc3';

/*
 * The emulator's own TC3-HMAC-SHA256 verification (written apart from the handler's signer) against the
 * worked examples of Tencent Cloud's "Signature v3" page, https://www.tencentcloud.com/document/api/213/30654
 * (English) and https://cloud.tencent.com/document/api/213/30654 (Chinese, keys shown masked: its published
 * signature is that of the masked text itself). Both sign the same DescribeInstances request.
 */

const PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const TIMESTAMP = 1551113065;
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'host': 'cvm.tencentcloudapi.com' };

describe('the emulator\'s TC3 verification reproduces the documentation\'s signatures', () => {
  test('the English example (content-type;host)', () => {
    // WHEN
    const signature = expectedTc3Signature({ method: 'POST', query: '', signedHeaders: HEADERS, body: PAYLOAD }, 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'cvm', TIMESTAMP);

    // THEN
    expect(signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
  });

  test('the Chinese example (content-type;host;x-tc-action, the action lowercased in the canonical headers)', () => {
    // WHEN
    const signature = expectedTc3Signature(
      { method: 'POST', query: '', signedHeaders: { ...HEADERS, 'x-tc-action': 'DescribeInstances' }, body: PAYLOAD },
      '*'.repeat(32),
      'cvm',
      TIMESTAMP,
    );

    // THEN
    expect(signature).toBe('10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f');
  });

  test('the service is part of the signing key: the same request signed for tag differs', () => {
    // WHEN
    const parts = { method: 'POST', query: '', signedHeaders: HEADERS, body: PAYLOAD };
    const forCvm = expectedTc3Signature(parts, 'secret', 'cvm', TIMESTAMP);
    const forTag = expectedTc3Signature(parts, 'secret', 'tag', TIMESTAMP);

    // THEN
    expect(sameSignature(forCvm, forTag)).toBe(false);
    expect(sameSignature(forTag, expectedTc3Signature(parts, 'secret', 'tag', TIMESTAMP))).toBe(true);
  });

  test('reads the Authorization header (service included) and dates by UTC', () => {
    // WHEN
    const parsed = readTc3Authorization(
      'TC3-HMAC-SHA256 Credential=AKIDexample/2019-02-25/tag/tc3_request, SignedHeaders=content-type;host;x-tc-action, ' +
        `Signature=${'a'.repeat(64)}`,
    );

    // THEN
    expect(parsed).toEqual({
      secretId: 'AKIDexample',
      date: '2019-02-25',
      service: 'tag',
      signedHeaderNames: ['content-type', 'host', 'x-tc-action'],
      signature: 'a'.repeat(64),
    });
    expect(readTc3Authorization('TC3-HMAC-SHA256 Credential=AKID/2019-02-25/tag/tc3_request')).toBeUndefined();
    expect(tc3DateOf(TIMESTAMP)).toBe('2019-02-25');
  });
});
