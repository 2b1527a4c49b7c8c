// PEM (RFC 7468): DER bytes as base64 lines of 64 characters between BEGIN/END lines of a label.

/** The DER of the first PEM block of `label` in `pem`, or undefined. */
export function pemBody(pem: string, label: string): Buffer | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  return match === null ? undefined : Buffer.from((match[1] as string).replace(/\s+/g, ''), 'base64');
}

/** `der` as a PEM block of `label`. */
export function pemOf(label: string, der: Buffer): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
