// Malleated copies of a valid ECDSA P-256 signature, built here independently of the rule under test
// (chaincode/src/domain/telemetry/signature.ts): each still verifies with the signer's key on a lenient
// verifier (node:crypto decodes base64 loosely), which is what made them a way to fake new readings.

/** The order n of the P-256 group (SEC 2). */
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

function integerBytes(value: bigint): Buffer {
  const hex = value.toString(16);
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  return (bytes[0] as number) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** r and s of a short-form DER signature (what node:crypto and OpenSSL write for P-256). */
export function rsOf(base64: string): { r: bigint; s: bigint } {
  const der = Buffer.from(base64, 'base64');
  const rLength = der[3] as number;
  const r = der.subarray(4, 4 + rLength);
  const s = der.subarray(6 + rLength, 6 + rLength + (der[5 + rLength] as number));
  return { r: BigInt(`0x${r.toString('hex')}`), s: BigInt(`0x${s.toString('hex')}`) };
}

/** DER of (r, s), short form, minimal integers. */
export function derOf(r: bigint, s: bigint): Buffer {
  const ints = [r, s].map((value) => {
    const bytes = integerBytes(value);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  });
  const body = Buffer.concat(ints);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** The other S of the pair: (r, n − s), which verifies exactly when (r, s) does. */
export function otherS(base64: string): string {
  const { r, s } = rsOf(base64);
  return derOf(r, N - s).toString('base64');
}

/** Whether s is in the upper half of the group order. */
export function isHighS(base64: string): boolean {
  return rsOf(base64).s > N / 2n;
}

/** The same base64 without its `=` padding (undefined when it has none). */
export function unpadded(base64: string): string | undefined {
  return base64.endsWith('=') ? base64.replace(/=+$/, '') : undefined;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The same bytes with a non-zero pad bit in the last character before `=` (undefined without padding). */
export function withPadBits(base64: string): string | undefined {
  const data = base64.replace(/=+$/, '');
  if (data.length === base64.length) return undefined;
  const last = ALPHABET.indexOf(data.at(-1) as string);
  return `${data.slice(0, -1)}${ALPHABET[last | 1]}${base64.slice(data.length)}`;
}
