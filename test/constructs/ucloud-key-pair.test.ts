import 'cdktf/lib/testing/adapters/jest';
import { constructionError, synthKeyPair, testKey } from './helpers';
import { KeyAlgorithm, KeyPairCarrier, KeySource, UcloudKeyPair } from '../../src';
import { HANDLER_ENV, NAME_RULES, SCOPE_RULES, TRIGGER_KEYS } from '../../src/contract';

const REGION = 'cn-bj2';

describe('UcloudKeyPair', () => {
  test('synthesizes the carrier, a data "external" read and two outputs; no tags go to the create step', () => {
    const { json, triggers, create } = synthKeyPair((stack) =>
      new UcloudKeyPair(stack, 'edge', { region: REGION, projectId: 'org-abc123', keyPairName: 'edge', privateKeyFile: 'edge.pem' }),
    );
    expect(Object.keys(json.resource.null_resource)).toHaveLength(1);
    expect(Object.keys(json.output).sort()).toEqual(['edge_fingerprint', 'edge_key_pair_id']);
    expect(triggers).toMatchObject({ [TRIGGER_KEYS.cloud]: 'ucloud', [TRIGGER_KEYS.scope]: 'org-abc123', [TRIGGER_KEYS.keyPairName]: 'edge' });
    expect(create.environment[HANDLER_ENV.tags]).toBe('{}');
  });

  test('a UCloud-API cloud on its own endpoint, with the terraform_data carrier', () => {
    const { triggers, carrierType } = synthKeyPair((stack) =>
      new UcloudKeyPair(stack, 'edge', {
        region: 'cn-bj2',
        endpoint: 'https://api.example-ucloud-clone.com',
        keySource: KeySource.generateLocally(KeyAlgorithm.RSA),
        privateKeyFile: 'edge.pem',
        carrier: KeyPairCarrier.TERRAFORM_DATA,
      }),
    );
    expect(carrierType).toBe('terraform_data');
    expect(triggers).toMatchObject({ [TRIGGER_KEYS.endpoint]: 'https://api.example-ucloud-clone.com', [TRIGGER_KEYS.keyAlgorithm]: 'rsa' });
  });

  describe('names: 1 to 63 characters, no control characters or surrounding spaces', () => {
    test.each(['edge key (prod) #1', '边缘密钥', 'x'.repeat(63)])('name %j is accepted', (keyPairName) => {
      expect(() => synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: REGION, keyPairName, privateKeyFile: 'e.pem' }))).not.toThrow();
    });

    test.each(['', ' edge', 'edge ', 'ed\tge', 'x'.repeat(64)])('name %j is refused with the rule', (keyPairName) => {
      const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: REGION, keyPairName, privateKeyFile: 'e.pem' }));
      expect(message).toContain(NAME_RULES.ucloud.create.description);
    });
  });

  describe('key types: ssh-rsa only', () => {
    test('imports an RSA public key', () => {
      const { triggers } = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: REGION, keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile) }));
      expect(triggers[TRIGGER_KEYS.publicKey]).toBe(testKey('rsa').canonical);
    });

    test.each(['dsa', 'ecdsa', 'ed25519'] as const)('refuses to import a %s public key', (algorithm) => {
      const message = constructionError((stack) =>
        new UcloudKeyPair(stack, 'edge', { region: REGION, keySource: KeySource.importPublicKey(testKey(algorithm).publicKeyFile) }),
      );
      expect(message).toMatch(/UCloud UHost imports ssh-rsa keys only/);
    });

    test.each([KeyAlgorithm.ECDSA, KeyAlgorithm.ED25519])('refuses to generate %s keys locally', (algorithm) => {
      const message = constructionError((stack) =>
        new UcloudKeyPair(stack, 'edge', { region: REGION, keySource: KeySource.generateLocally(algorithm), privateKeyFile: 'e.pem' }),
      );
      expect(message).toMatch(/a key generated locally must be KeyAlgorithm.RSA/);
    });

    test('refuses an algorithm that is no KeyAlgorithm (JavaScript callers have no type check)', () => {
      const message = constructionError((stack) =>
        new UcloudKeyPair(stack, 'edge', { region: REGION, keySource: KeySource.generateLocally('dsa' as KeyAlgorithm), privateKeyFile: 'e.pem' }),
      );
      expect(message).toMatch(/got dsa/);
    });
  });

  describe('project id', () => {
    test.each(['abc123', 'org-', 'org-abc_123'])('project %j is refused with the rule', (projectId) => {
      const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: REGION, projectId, privateKeyFile: 'e.pem' }));
      expect(message).toContain(SCOPE_RULES.ucloud.description);
    });
  });

  test('tags passed anyway by JavaScript callers are refused: UCloud key pairs carry none', () => {
    const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: REGION, privateKeyFile: 'e.pem', tags: { a: 'b' } } as any));
    expect(message).toMatch(/UCloud UHost key pairs carry no tags; remove tags/);
  });
});
