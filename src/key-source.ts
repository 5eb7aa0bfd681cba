import { KEY_SOURCES, type GeneratedKeyAlgorithm, type KeySource as KeySourceName } from './contract';

/**
 * Algorithms for a key pair generated on the deploying machine (`KeySource.generateLocally`).
 *
 * Which ones a cloud accepts is checked at synth: Alibaba Cloud imports RSA and ECDSA keys, Tencent Cloud
 * and UCloud RSA keys only.
 */
export enum KeyAlgorithm {
  /** RSA, 4096 bits. Every cloud accepts it. */
  RSA = 'rsa',
  /** ECDSA on the NIST P-256 curve. Alibaba Cloud only. */
  ECDSA = 'ecdsa',
  /**
   * Ed25519. None of the three clouds documents importing Ed25519 keys, so every construct refuses it at synth
   * today; the member exists so the API need not change when a cloud does.
   */
  ED25519 = 'ed25519',
}

/**
 * Where a key pair's private key comes from.
 *
 * - `KeySource.cloudGenerated()` (the default): the cloud generates the pair and hands out the private key
 *   once; it is written to `privateKeyFile`.
 * - `KeySource.importPublicKey(publicKey)`: your own public key is imported; no private key is involved.
 * - `KeySource.generateLocally(algorithm)`: the pair is generated on the machine that runs
 *   `terraform apply`, the private key is written to `privateKeyFile` and only the public half is imported.
 */
export class KeySource {
  /** The cloud generates the key pair (CreateKeyPair); the private key is written to `privateKeyFile`. */
  public static cloudGenerated(): KeySource {
    return new KeySource(KEY_SOURCES.cloud);
  }

  /**
   * Imports your public key (ImportKeyPair). No private key is involved: `privateKeyFile` must not be set.
   *
   * @param publicKey one OpenSSH public key line, as read from a `.pub` file (`<type> <base64> [comment]`; a
   * trailing newline and the comment are tolerated and dropped). Checked at synth against the key types the
   * cloud imports, unless it is a token (then the handler checks it before any cloud call).
   */
  public static importPublicKey(publicKey: string): KeySource {
    return new KeySource(KEY_SOURCES.import, publicKey);
  }

  /**
   * Generates the key pair on the machine that runs `terraform apply` and imports its public half; the
   * private key is written to `privateKeyFile` and sent nowhere.
   *
   * @param algorithm the key algorithm; checked at synth against what the cloud imports.
   */
  public static generateLocally(algorithm: KeyAlgorithm): KeySource {
    return new KeySource(KEY_SOURCES.generate, undefined, algorithm);
  }

  /** @internal */
  public readonly _name: KeySourceName;
  /** @internal */
  public readonly _publicKey?: string;
  /** @internal */
  public readonly _algorithm?: GeneratedKeyAlgorithm;

  private constructor(name: KeySourceName, publicKey?: string, algorithm?: KeyAlgorithm) {
    this._name = name;
    this._publicKey = publicKey;
    this._algorithm = algorithm as GeneratedKeyAlgorithm | undefined;
  }

  /**
   * Whether this key source yields a private key that must be written somewhere.
   *
   * @internal
   */
  public get _yieldsPrivateKey(): boolean {
    return this._name !== KEY_SOURCES.import;
  }
}
