import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A per-process server certificate for go-plugin's AutoMTLS. Terraform pins exactly this certificate
 * (it arrives in the handshake line) and checks the name `localhost`, so a short-lived self-signed
 * ECDSA P-256 certificate is all it takes. Node cannot create certificates, hence the few lines of DER.
 */
export interface ServerCertificate {
  readonly certificateDer: Buffer;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** Validity reaches back an hour to tolerate clock skew; a plugin process lives for one command. */
const VALID_BEFORE_MS = 60 * 60 * 1000;
const VALID_FOR_MS = 7 * 24 * 60 * 60 * 1000;

export function createServerCertificate(now: Date = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = sequence(
    set(sequence(oid(OID.organization), tlv(0x0c, Buffer.from('cdktf-keypair test provider')))),
    set(sequence(oid(OID.commonName), tlv(0x0c, Buffer.from('localhost')))),
  );
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbsCertificate = sequence(
    tlv(0xa0, integer(Buffer.of(2))), // version 3
    integer(serialNumber()),
    signatureAlgorithm,
    name,
    sequence(utcTime(new Date(now.getTime() - VALID_BEFORE_MS)), utcTime(new Date(now.getTime() + VALID_FOR_MS))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, sequence(
      extension(OID.basicConstraints, true, sequence(tlv(0x01, Buffer.of(0xff)))),
      // digitalSignature, keyEncipherment, keyCertSign (2 unused bits)
      extension(OID.keyUsage, true, tlv(0x03, Buffer.of(0x02, 0xa4))),
      extension(OID.extendedKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))),
      extension(OID.subjectAltName, false, sequence(tlv(0x82, Buffer.from('localhost')), tlv(0x87, Buffer.of(127, 0, 0, 1)))),
    )),
  );
  const signature = sign('sha256', tbsCertificate, privateKey);
  const certificateDer = sequence(tbsCertificate, signatureAlgorithm, bitString(signature));
  return {
    certificateDer,
    certificatePem: toPem('CERTIFICATE', certificateDer),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] % 0x7f) + 1; // positive and without a leading zero byte
  return serial;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [tlv(0x01, Buffer.of(0xff))] : []), tlv(0x04, value));
}

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.of(tag), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.of(0x80 + bytes.length, ...bytes);
}

function sequence(...contents: Buffer[]): Buffer {
  return tlv(0x30, ...contents);
}

function set(...contents: Buffer[]): Buffer {
  return tlv(0x31, ...contents);
}

function integer(bigEndian: Buffer): Buffer {
  return tlv(0x02, bigEndian[0] >= 0x80 ? Buffer.concat([Buffer.of(0), bigEndian]) : bigEndian);
}

function bitString(bytes: Buffer): Buffer {
  return tlv(0x03, Buffer.of(0), bytes);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const digits: number[] = [];
    for (let value = arc; digits.length === 0 || value > 0; value = Math.floor(value / 128)) digits.unshift(value % 128);
    bytes.push(...digits.map((digit, index) => (index < digits.length - 1 ? digit + 0x80 : digit)));
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime (YYMMDDHHMMSSZ), valid for dates before 2050. */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(text));
}
