const UNITS = [ 'bytes', 'kB', 'MB', 'GB', 'TB' ];

/**
 * `bytes` for people, in decimal units as quotas are given (1 GB = 1,000,000,000 bytes), to four significant digits
 * without trailing zeros: `1 byte`, `512 bytes`, `12.35 kB`, `998.2 MB`, `1 GB`. With `up`, rounds up, so an amount still
 * missing is never shown as less than it is.
 */
export function formatBytes(bytes: number, rounding: 'nearest' | 'up' = 'nearest'): string {
  const round = rounding === 'up' ? Math.ceil : Math.round;
  let exponent = 0;
  while (exponent < UNITS.length - 1 && Math.abs(bytes) >= 1000 ** (exponent + 1)) {
    exponent += 1;
  }
  if (exponent === 0) {
    const count = round(bytes);
    return `${count} ${count === 1 ? 'byte' : 'bytes'}`;
  }
  const value = bytes / 1000 ** exponent;
  const decimals = 3 - Math.floor(Math.log10(Math.abs(value)));
  let shown = round(value * 10 ** decimals) / 10 ** decimals;
  if (Math.abs(shown) >= 1000 && exponent < UNITS.length - 1) {
    // 999.96 MB rounds to 1000 MB: say 1 GB.
    exponent += 1;
    shown /= 1000;
  }
  return `${Number(shown.toFixed(decimals))} ${UNITS[exponent]}`;
}
