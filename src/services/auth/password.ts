import crypto from "node:crypto";
import { promisify } from "node:util";
import { security } from "../../policy/load.ts";

const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  keylen: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;

/** scrypt (memory-hard), parameters from policy/security.yaml, stored with the hash so they can change. */
export async function hashPassword(pw: string): Promise<string> {
  const { log2n, r, p, keylen } = security().password.scrypt;
  const salt = crypto.randomBytes(16);
  const N = 2 ** log2n;
  const key = await scrypt(pw, salt, keylen, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${log2n}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, log2n, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const N = 2 ** Number(log2n);
  const key = await scrypt(pw, Buffer.from(salt, "base64url"), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return crypto.timingSafeEqual(key, expected);
}

export function sha256(s: string): string {
  return crypto.createHash("sha256").update(s).digest("hex");
}

export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

/** A one-time password a person can type: 16 characters from an unambiguous alphabet, all classes. */
export function oneTimePassword(): string {
  const sets = ["abcdefghjkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "#%+=@"];
  const all = sets.join("");
  const pick = (s: string) => s[crypto.randomInt(s.length)]!;
  const chars = [...sets.map(pick), ...Array.from({ length: 12 }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
