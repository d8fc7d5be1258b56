/** A parsed `host:port` / `:port` listen address (config.md A.2). */
export interface ListenAddress {
  /** Host to bind; `0.0.0.0` when the address was `:port` (all IPv4 interfaces). */
  readonly host: string;
  /** TCP port; 0 asks the OS for an ephemeral port (tests). */
  readonly port: number;
  /** The address as configured, for logs and `/config`. */
  readonly text: string;
}

/**
 * Parses `host:port`, `:port` or `[v6]:port`. Returns an error reason instead of throwing so the
 * env schema can report the variable name.
 */
export function parseListenAddress(text: string): ListenAddress | string {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(text);
  if (!m) return 'expected host:port or :port';
  const port = Number(m[3]);
  if (port > 65535) return `port ${port} is out of range 0-65535`;
  const host = m[1] ?? (m[2] === '' ? '0.0.0.0' : m[2]);
  return { host, port, text };
}

/** True for a host that means "every interface" rather than one reachable address: `0.0.0.0`, `::`, empty. */
export function isUnspecifiedHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || host === '[::]' || /^0*:(0*:)*0*$/.test(host);
}

/** `host` as the authority part of a URL (IPv6 literals in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
