// Where Fulcrum connects on a registry writer's say-so (MCP upstreams now, model endpoints later):
// never to this machine, the private network, link-local or cloud metadata addresses, unless the
// operator lists the host in FULCRUM_OUTBOUND_ALLOW_HOSTS. Addresses are checked as resolved, when a
// socket connects (a `lookup` on the Agent), so a name that resolves, or re-resolves, to 127.0.0.1
// gets no further than a literal 127.0.0.1 would.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { InputError } from '../errors.js';
import { blockedRange } from './addresses.js';

export const OUTBOUND_SETTING = 'FULCRUM_OUTBOUND_ALLOW_HOSTS';

/** A host (as a URL spells it: lower case, IPv6 in brackets) and, when given, the only port allowed. */
export interface AllowedHost {
  host: string;
  port?: number;
}

/** A connection the policy refused; `detail` names the address, for the server log only. */
export class OutboundRefusedError extends Error {
  readonly code = 'FULCRUM_OUTBOUND_REFUSED';
}

export interface OutboundPolicy {
  /** Why Fulcrum will not connect to `url`, judged before any lookup (scheme, credentials, literal addresses). */
  refusal(url: URL): string | undefined;
  /** The Agent for `url`: one that checks every resolved address, unless the operator allowed the host. */
  agentFor(url: URL): http.Agent;
}

export interface OutboundOptions {
  allowHosts: readonly AllowedHost[];
  /** How host names resolve (tests inject one); default the system resolver. */
  lookup?: LookupFunction;
  agentOptions?: http.AgentOptions;
}

export function createOutboundPolicy(opts: OutboundOptions): OutboundPolicy {
  const agentOptions = opts.agentOptions ?? { keepAlive: true, maxSockets: 64, noDelay: true };
  const resolve = opts.lookup ?? (dns.lookup as LookupFunction);
  const lookup = guardedLookup(resolve);
  const openOptions = { ...agentOptions, ...(opts.lookup ? { lookup: opts.lookup } : {}) };
  const agents = {
    open: { 'http:': closingIdle(new http.Agent(openOptions)), 'https:': closingIdle(new https.Agent(openOptions)) },
    guarded: {
      'http:': closingIdle(new http.Agent({ ...agentOptions, lookup })),
      'https:': closingIdle(new https.Agent({ ...agentOptions, lookup })),
    },
  };
  const allowed = (url: URL) => {
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return opts.allowHosts.some((h) => h.host === url.hostname && (h.port === undefined || h.port === port));
  };
  return {
    refusal(url) {
      const shape = urlProblem(url);
      if (shape) return shape;
      if (allowed(url)) return undefined;
      const host = bare(url.hostname);
      const range = net.isIP(host) ? blockedRange(host) : isLocalhostName(host) ? 'loopback' : undefined;
      return range ? refusedMessage(host, range) : undefined;
    },
    agentFor(url) {
      const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
      return (allowed(url) ? agents.open : agents.guarded)[protocol];
    },
  };
}

/**
 * How long Fulcrum keeps an idle keep-alive socket to an upstream when the upstream does not say
 * (undici's default too): shorter than the idle timeouts servers and load balancers commonly use (5 s
 * for Node, 60 s for nginx and AWS load balancers).
 */
export const IDLE_SOCKET_MS = 4000;

/**
 * How long an idle socket is kept, given the upstream's `Keep-Alive` response header: a second less
 * than the timeout it announces, at most IDLE_SOCKET_MS; 0 (not kept) when that leaves nothing.
 * Closing first means a call is never written onto a socket the upstream is closing at that moment
 * (that call would fail with "socket hang up", nothing wrong on either side).
 */
export function idleSocketMs(keepAlive: string | string[] | undefined): number {
  const header = Array.isArray(keepAlive) ? keepAlive.join(',') : (keepAlive ?? '');
  const hint = /(?:^|[\s,])timeout=(\d{1,9})(?:$|[\s,])/i.exec(header)?.[1];
  if (hint === undefined) return IDLE_SOCKET_MS;
  return Math.max(0, Math.min(IDLE_SOCKET_MS, Number(hint) * 1000 - 1000));
}

// Node's Agent reads the `Keep-Alive: timeout=N` hint only to shorten a timeout of its own (the
// Agent's `timeout` option), which would also bound every socket in use: a model's slow first token
// or a tool's long answer. These Agents bound idle sockets only: the bound is set when a socket is
// freed (where Node's own code sets it) and lifted when the socket is taken for a request; the
// Agent destroys a free socket whose bound runs out.
type Socket = Parameters<http.Agent['keepSocketAlive']>[0] & { setTimeout(ms: number): unknown };
function closingIdle<A extends http.Agent>(agent: A): A {
  const keep = agent.keepSocketAlive.bind(agent) as (socket: Socket) => unknown;
  const reuse = agent.reuseSocket.bind(agent);
  agent.keepSocketAlive = (socket: Socket) => {
    if (!keep(socket)) return false;
    const res = (socket as { _httpMessage?: { res?: http.IncomingMessage } })._httpMessage?.res;
    const idle = idleSocketMs(res?.headers['keep-alive']);
    if (idle === 0) return false;
    socket.setTimeout(idle);
    return true;
  };
  agent.reuseSocket = (socket: Socket, req: http.ClientRequest) => {
    socket.setTimeout(0);
    reuse(socket, req);
  };
  return agent;
}

/** What is wrong with a URL whatever the settings: only http(s), no credentials in it. */
export function urlProblem(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are allowed, not ${url.protocol}`;
  if (url.username || url.password)
    return 'a URL may not carry credentials (user:password@): every reader of the registry sees it; use headers with {env: NAME}';
  return undefined;
}

// RFC 7230 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers the transport sets, or that frame the request; a descriptor may not replace them.
const RESERVED_HEADERS = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'keep-alive',
  'mcp-protocol-version',
  'mcp-session-id',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Why `name` may not be sent as an outbound request header, or undefined. */
export function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return `"${name}" is not an HTTP header name`;
  if (RESERVED_HEADERS.has(name.toLowerCase())) return `"${name}" is set by Fulcrum itself`;
  return undefined;
}

/** A header value Node would refuse to send (or that would split the request). */
export function headerValueProblem(value: string): string | undefined {
  return /[\r\n\0]/.test(value) ? 'holds a line break or NUL' : undefined;
}

/**
 * FULCRUM_OUTBOUND_ALLOW_HOSTS: comma-separated `host` or `host:port` (IPv6 as `[::1]` or `[::1]:8080`,
 * or bare without a port); absent or empty, nothing internal is reachable.
 */
export function parseAllowHosts(value: string | undefined, name = OUTBOUND_SETTING): AllowedHost[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const m =
        /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(entry) ??
        /^([0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)()$/.exec(entry) ??
        /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
      const host = m?.[1] ?? '';
      const port = m?.[2] ? Number(m[2]) : undefined;
      let hostname: string | undefined;
      try {
        hostname = new URL(`http://${host.includes(':') ? `[${host}]` : host}/`).hostname;
      } catch {
        hostname = undefined;
      }
      if (!m || !hostname || (port !== undefined && (port < 1 || port > 65535)))
        throw new InputError(`${name}: "${entry}" is not a host or host:port (no scheme, no path)`);
      return port === undefined ? { host: hostname } : { host: hostname, port };
    });
}

/** Wraps a resolver so that a name resolving to any blocked address fails before a socket opens. */
function guardedLookup(resolve: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    if (net.isIP(hostname)) {
      // Node does not look up literal addresses; this is only reached if it ever does.
      const range = blockedRange(hostname);
      if (range) return callback(new OutboundRefusedError(refusedMessage(hostname, range)), '', 4);
    }
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const list = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
      for (const a of list) {
        const range = blockedRange(a.address);
        if (range) return callback(new OutboundRefusedError(refusedMessage(`${hostname} (${a.address})`, range)), '', 4);
      }
      callback(null, address, family);
    });
  };
}

function refusedMessage(what: string, range: string): string {
  return `refused by the outbound policy: ${what} is a ${range} address; Fulcrum connects there only to hosts listed in ${OUTBOUND_SETTING}`;
}

function bare(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

// RFC 6761: localhost and every name under it are loopback, whatever a resolver says.
function isLocalhostName(host: string): boolean {
  const h = host.replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}
