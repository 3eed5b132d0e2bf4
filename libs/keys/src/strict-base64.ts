const TRAILING_PADDING = /=+$/;

// Buffer.from(…, 'base64') silently skips characters it does not understand, so "Basic !!!"
// would decode to something. Round-tripping rejects anything that is not canonical base64
// (padding is optional, as many clients drop it).
export function decodeStrictBase64(encoded: string): string | undefined {
  const bytes = Buffer.from(encoded, 'base64');
  const canonical = bytes.toString('base64').replace(TRAILING_PADDING, '');
  if (bytes.length === 0 || canonical !== encoded.replace(TRAILING_PADDING, '')) {
    return undefined;
  }
  return bytes.toString('utf8');
}
