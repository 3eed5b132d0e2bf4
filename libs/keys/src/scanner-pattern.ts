/**
 * For secret scanners (docs/product-rules.md rule 11, README "Reporting leaked keys"): finds
 * Keyward keys in text. `kw_`, the env (2–8 lowercase letters), `_`, 40 random base62
 * characters and the 6-character base62 CRC32 checksum, not inside a longer word. A regex cannot
 * check the CRC32; `parseApiKey` (or the leak report, which counts such values as malformed)
 * does. Written out in full, as a scanner's configuration takes it.
 */
export const KEY_SCANNER_PATTERN = String.raw`\bkw_[a-z]{2,8}_[0-9A-Za-z]{46}\b`;
