// The audit signing key: Ed25519 in a PEM file outside the database (mode 0600), generated at first
// start. Checkpoints and retention starts are signed with it; the public key verifies them.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { readRegularFile } from '../read-file.js';

/** The default file name, in the data directory (FULCRUM_AUDIT_KEY_FILE overrides the path). */
export const AUDIT_KEY_FILE = 'audit-signing-key.pem';
/** A PEM key is a few hundred bytes: anything much larger is not one. */
const MAX_KEY_FILE = 64 * 1024;

export interface AuditVerifier {
  /** The first 16 hex digits of SHA-256 over the public key (SPKI, DER): names the key in checkpoints. */
  keyId: string;
  publicKeyPem: string;
  verify(data: string, signature: string): boolean;
}

export interface AuditSigner extends AuditVerifier {
  file: string;
  /** Base64 Ed25519 signature over the UTF-8 text. */
  sign(data: string): string;
}

function verifierOf(publicKey: KeyObject): AuditVerifier {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    verify(data, signature) {
      try {
        return verify(null, Buffer.from(data), publicKey, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

function readKeyText(file: string): string {
  return readRegularFile(file, MAX_KEY_FILE, 'a PEM key');
}

/** A verifier from a PEM file holding the public key (or the private key, whose public half is used). */
export function readPublicKey(file: string): AuditVerifier {
  const text = readKeyText(file);
  let key: KeyObject;
  try {
    key = text.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
  } catch (err) {
    throw new InputError(`${file} is not a PEM public key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new InputError(`${file} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  return verifierOf(key);
}

/**
 * Writes a new key to `file` unless it exists. The PEM is written whole to a private temporary file
 * beside it, then linked into place, which fails if the name exists: another process starting at
 * once either sees no file or a complete one, and both end up with the same key.
 */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Reads the signing key, or generates it when the file does not exist. Warns when others may read it. */
export function loadOrCreateAuditKey(file: string, warn: (message: string) => void = (m) => process.emitWarning(m)): AuditSigner {
  if (!fs.existsSync(file)) createKeyFile(file);
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077)
    warn(`the audit signing key ${file} has mode ${mode.toString(8)}: anyone who can read it can forge checkpoints (chmod 600)`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readKeyText(file));
  } catch (err) {
    throw new InputError(`${file} is not a PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new InputError(`${file} holds a ${privateKey.asymmetricKeyType} key; the audit signing key must be Ed25519`);
  return {
    ...verifierOf(createPublicKey(privateKey)),
    file,
    sign: (data) => sign(null, Buffer.from(data), privateKey).toString('base64'),
  };
}
