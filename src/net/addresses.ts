// Which IP addresses are internal: this machine, private networks, link-local, shared (CGNAT) and
// cloud metadata addresses, multicast and reserved space, including IPv6 forms that carry an IPv4
// address inside (mapped, compatible, NAT64, 6to4).
import net from 'node:net';

type Range = [base: number, bits: number, what: string];

const v4 = (a: string): number => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

// Checked in order: the first match names the range.
const V4_RANGES: Range[] = [
  [v4('169.254.169.254'), 32, 'cloud metadata'], // AWS, GCP, Azure, Oracle, OpenStack
  [v4('169.254.170.2'), 32, 'cloud metadata'], // AWS ECS task credentials
  [v4('100.100.100.200'), 32, 'cloud metadata'], // Alibaba Cloud
  [v4('168.63.129.16'), 32, 'cloud metadata'], // Azure WireServer (a public address)
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('100.64.0.0'), 10, 'shared (CGNAT)'],
  [v4('192.0.0.0'), 24, 'reserved'], // IETF protocol assignments (192.0.0.192: Oracle's old metadata)
  [v4('198.18.0.0'), 15, 'reserved'], // benchmarking
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'], // incl. 255.255.255.255
];

function inV4(n: number, [base, bits]: Range): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(n / size) === Math.floor(base / size);
}

/** What kind of internal address `address` is (an IPv4 or IPv6 literal), or undefined for a public one. */
export function blockedRange(address: string): string | undefined {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = net.isIP(ip);
  if (family === 4) return V4_RANGES.find((r) => inV4(v4(ip), r))?.[2];
  if (family !== 6) return undefined;
  const h = hextets(ip);
  if (!h) return 'unparseable';
  const [h0 = 0, h1 = 0] = h;
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && h[7] === 1) return 'loopback';
  // An IPv4 address inside (mapped, compatible, SIIT, NAT64, 6to4) is in its own range; the
  // compatible form of a public one is reserved space.
  const inside = embeddedV4(h);
  if (inside) return blockedRange(inside) ?? (zeros(0, 6) ? 'reserved' : undefined);
  if (h0 === 0xfd00 && h1 === 0x0ec2 && zeros(2, 7) && h[7] === 0x254) return 'cloud metadata'; // AWS IPv6
  if ((h0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((h0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((h0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((h0 & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}

/**
 * The key a client address is counted under by per-address limits and shadow rows: an IPv4 address
 * as it is; an IPv6 address that carries an IPv4 one (mapped, compatible, SIIT, NAT64, 6to4) as that
 * IPv4 address, so that every IPv4 client seen through a translator is not one key; any other IPv6
 * address as its /64 (`2001:db8:1:2::/64`), since one host or home is given a whole /64 and may rotate
 * through it without end (docs/auth.md). A port a proxy appended (`[2001:db8::1]:443`, `192.0.2.7:443`)
 * is dropped.
 */
export function clientKey(address: string): string {
  const ip = address.replace(/^\[([^\]]*)\](:\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  if (!net.isIPv6(ip)) return ip;
  const h = hextets(ip.replace(/%.*$/, ''));
  if (!h) return ip;
  const embedded = embeddedV4(h);
  if (embedded) return embedded;
  return `${h
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * The IPv4 address an IPv6 one carries (mapped, compatible, SIIT, NAT64, 6to4), or undefined; `::`
 * and `::1` carry none.
 */
function embeddedV4(h: number[]): string | undefined {
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  const at = (i: number) => {
    const [hi = 0, lo = 0] = h.slice(i, i + 2);
    return [hi >>> 8, hi & 0xff, lo >>> 8, lo & 0xff].join('.');
  };
  if (zeros(0, 5) && h[5] === 0xffff) return at(6); // ::ffff:a.b.c.d
  if (zeros(0, 4) && h[4] === 0xffff && h[5] === 0) return at(6); // SIIT ::ffff:0:a.b.c.d
  if (zeros(0, 6) && !(zeros(0, 7) && (h[7] ?? 0) <= 1)) return at(6); // IPv4-compatible ::a.b.c.d
  if (h[0] === 0x64 && h[1] === 0xff9b && (zeros(2, 6) || h[2] === 1)) return at(6); // NAT64
  if (h[0] === 0x2002) return at(1); // 6to4: the site's IPv4 address
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part allowed). */
function hextets(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4(dotted[1] as string);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}
