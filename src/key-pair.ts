import { IConstruct } from 'constructs';
import { KeyPairCloud } from './cloud';

/**
 * A key pair, managed by this app (`AlicloudKeyPair`, `TencentcloudKeyPair`, `UcloudKeyPair`) or made
 * elsewhere and referenced (`AlicloudKeyPair.fromKeyPairName`, ...): code that takes a key pair accepts
 * both. Every attribute is a token read from the cloud on every plan.
 */
export interface IKeyPair extends IConstruct {
  /** The cloud the key pair lives on. */
  readonly cloud: KeyPairCloud;

  /** The key pair's id as the cloud gives it (Tencent Cloud `skey-…`, UCloud `uhostkp-…`; Alibaba Cloud: its name). */
  readonly keyPairId: string;

  /** The key pair's name in the cloud: wire it into instances. */
  readonly keyPairName: string;

  /** The cloud's own fingerprint, exactly as the cloud gives it (empty where the cloud has none). */
  readonly fingerprint: string;

  /** The OpenSSH SHA-256 fingerprint (`SHA256:…`); empty when the public key is not known. */
  readonly fingerprintSha256: string;

  /** The OpenSSH MD5 fingerprint (`MD5:aa:bb:…`); empty when the public key is not known. */
  readonly fingerprintMd5: string;

  /** The public key, `<type> <base64>` without a comment; empty when the cloud does not return it and the app does not hold it. */
  readonly publicKey: string;
}
