// Real MCP peers for the gateway tests: @modelcontextprotocol/server-everything over stdio and
// Streamable HTTP, 2026-07-28 servers built with @modelcontextprotocol/server, and deliberately
// broken servers, each a child process on 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { ACME_STDIO } from '../support/files.js';
import { ROOT } from '../support/process.js';

export const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const PEERS = path.join(ROOT, 'test/mcp/peers');

/**
 * The operator settings the gateway tests run under: these stdio command lines may start, and the
 * peers on 127.0.0.1 may be reached (FULCRUM_MCP_STDIO_ALLOW, FULCRUM_OUTBOUND_ALLOW_HOSTS).
 */
export function operatorAllows(...stdio: string[][]): Pick<Config, 'mcpStdioAllow' | 'outboundAllowHosts'> {
  return {
    mcpStdioAllow: [ACME_STDIO, [process.execPath, EVERYTHING, 'stdio'], ...stdio],
    outboundAllowHosts: [{ host: '127.0.0.1' }],
  };
}

export interface Peer {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a peer that prints LOOPBACK_PORT=<port> on stderr once it listens. */
export async function startPeer(args: string[]): Promise<Peer> {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PORT: '0' } });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`peer did not start: ${stderr}`));
    }, 15_000);
    proc.stderr?.on('data', (d) => {
      stderr += d;
      const m = /LOOPBACK_PORT=(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`peer exited with ${code}: ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** server-everything over Streamable HTTP. */
export function startEverythingHttp(): Promise<Peer> {
  return startPeer(['--import', path.join(PEERS, 'loopback.mjs'), EVERYTHING, 'streamableHttp']);
}

/**
 * An upstream of the 2026-07-28 generation (@modelcontextprotocol/server 2.x, createMcpHandler):
 * `reject` serves only 2026-07-28, `stateless` serves 2025-11-25 too (peers/modern-upstream.mjs).
 */
export function startModernUpstream(legacy: 'reject' | 'stateless' = 'reject'): Promise<Peer> {
  return startPeer([path.join(PEERS, 'modern-upstream.mjs'), legacy]);
}

/** What a peer/modern-upstream.mjs was sent so far, one entry per POST. */
export interface SeenRequest {
  method?: string;
  version?: string;
  mcpMethod?: string;
  mcpName?: string;
  /** The Mcp-Param-Region header (modern-upstream.mjs's `routed` tool declares it). */
  region?: string;
  session?: string;
}

export async function requestsSeen(peer: Peer): Promise<SeenRequest[]> {
  const res = await fetch(peer.url.replace(/\/mcp$/, '/requests'));
  return (await res.json()) as SeenRequest[];
}

/** A port nothing listens on, for an upstream that is down. */
export { freePort as closedPort } from '../support/ports.js';
