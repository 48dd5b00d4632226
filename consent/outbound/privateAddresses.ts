import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** What kind of non-public address an IP is, as said in a refusal: "127.0.0.1, a loopback address". */
export type PrivateAddressKind = 'loopback' | 'private' | 'unique-local' | 'link-local' | 'unspecified' |
  'carrier-grade NAT' | 'multicast or reserved';

// Ranges an FMP must never be steered into: the machine itself, its networks, the cloud's metadata service
// (169.254.169.254 is link-local) and addresses that mean "any" (a connect to 0.0.0.0 reaches the machine itself).
const RANGES: readonly [PrivateAddressKind, string, number, 'ipv4' | 'ipv6'][] = [
  [ 'unspecified', '0.0.0.0', 8, 'ipv4' ],
  [ 'loopback', '127.0.0.0', 8, 'ipv4' ],
  [ 'private', '10.0.0.0', 8, 'ipv4' ],
  [ 'private', '172.16.0.0', 12, 'ipv4' ],
  [ 'private', '192.168.0.0', 16, 'ipv4' ],
  [ 'carrier-grade NAT', '100.64.0.0', 10, 'ipv4' ],
  [ 'link-local', '169.254.0.0', 16, 'ipv4' ],
  [ 'multicast or reserved', '224.0.0.0', 3, 'ipv4' ],
  [ 'unspecified', '::', 128, 'ipv6' ],
  [ 'loopback', '::1', 128, 'ipv6' ],
  [ 'unique-local', 'fc00::', 7, 'ipv6' ],
  [ 'link-local', 'fe80::', 10, 'ipv6' ],
  // Deprecated site-local addresses are private networks too.
  [ 'private', 'fec0::', 10, 'ipv6' ],
  [ 'multicast or reserved', 'ff00::', 8, 'ipv6' ],
];

const LISTS = new Map<PrivateAddressKind, BlockList>();
for (const [ kind, network, prefix, family ] of RANGES) {
  const list = LISTS.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  LISTS.set(kind, list);
}

/** The 8 groups of an IPv6 address (without a zone), or undefined if it is not one. */
function getIpv6Groups(address: string): number[] | undefined {
  if (!isIPv6(address)) {
    return undefined;
  }
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/u.exec(text);
  if (dotted) {
    const bytes = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  const [ head, tail ] = text.includes('::') ? text.split('::') : [ text, undefined ];
  const parse = (part: string): number[] => part === '' ? [] : part.split(':').map((group): number => Number.parseInt(group, 16));
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  return [ ...start, ...Array.from({ length: 8 - start.length - end.length }, (): number => 0), ...end ];
}

/**
 * The IPv4 address an IPv6 address carries in its last 32 bits, for the forms that reach it: IPv4-mapped
 * (`::ffff:127.0.0.1`, also written `::ffff:7f00:1`), IPv4-compatible (`::127.0.0.1`, deprecated) and NAT64
 * (`64:ff9b::7f00:1`). Undefined for other addresses.
 */
export function getEmbeddedIpv4(address: string): string | undefined {
  const groups = getIpv6Groups(address.replace(/%.*$/u, ''));
  if (!groups) {
    return undefined;
  }
  const prefix = groups.slice(0, 6).join(':');
  const mapped = prefix === '0:0:0:0:0:65535';
  const compatible = prefix === '0:0:0:0:0:0' && (groups[6] !== 0 || groups[7] > 1);
  const nat64 = prefix === '100:65435:0:0:0:0';
  if (!mapped && !compatible && !nat64) {
    return undefined;
  }
  return [ groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255 ].join('.');
}

/**
 * What kind of non-public address `address` is (IPv4, IPv6, or IPv6 carrying an IPv4 address), or undefined for a
 * public one. Something that is not an IP address at all counts as `unspecified`: fail closed.
 */
export function getPrivateAddressKind(address: string): PrivateAddressKind | undefined {
  const embedded = getEmbeddedIpv4(address);
  if (embedded) {
    return getPrivateAddressKind(embedded);
  }
  const bare = address.replace(/%.*$/u, '');
  const family = isIPv4(bare) ? 'ipv4' : isIPv6(bare) ? 'ipv6' : undefined;
  if (!family) {
    return 'unspecified';
  }
  for (const [ kind, list ] of LISTS) {
    if (list.check(bare, family)) {
      return kind;
    }
  }
  return undefined;
}

/** "a loopback address", "an unspecified address", … */
export function describeAddressKind(kind: PrivateAddressKind): string {
  return `${kind === 'unspecified' ? 'an' : 'a'} ${kind} address`;
}
