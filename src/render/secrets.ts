// Per-lab secrets: the bootstrap token and the cluster CA key (whose public-key hash workers pin). Never printed.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomInt } from 'node:crypto';

/** The secrets of one lab directory, generated once and kept on re-render. */
export interface LabSecrets {
  /** kubeadm bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`. */
  bootstrapToken: string;
  /** PEM (PKCS#1) RSA key of the cluster CA. */
  caKeyPem: string;
}

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** kubeadm's token format (kubeadm docs: `[a-z0-9]{6}\.[a-z0-9]{16}`), the one source for checking and redacting. */
export const BOOTSTRAP_TOKEN_SOURCE = '[a-z0-9]{6}\\.[a-z0-9]{16}';
/** A whole string that is a bootstrap token. */
export const BOOTSTRAP_TOKEN_RE = new RegExp(`^${BOOTSTRAP_TOKEN_SOURCE}$`);

function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return s;
}

/** New secrets from the system's CSPRNG. */
export function generateSecrets(): LabSecrets {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    bootstrapToken: `${randomString(6)}.${randomString(16)}`,
    caKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

/** kubeadm's `--discovery-token-ca-cert-hash`: sha256 over the CA's DER SubjectPublicKeyInfo, which only the key decides. */
export function caCertHash(caKeyPem: string): string {
  const spki = createPublicKey(createPrivateKey(caKeyPem)).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** Checks secrets read back from a lab directory; returns what is wrong, or undefined. */
export function secretsProblem(s: LabSecrets): string | undefined {
  if (!BOOTSTRAP_TOKEN_RE.test(s.bootstrapToken)) return 'secrets/bootstrap-token is not a kubeadm token';
  try { caCertHash(s.caKeyPem); } catch { return 'secrets/ca.key is not a private key'; }
  return undefined;
}
