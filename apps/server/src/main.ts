#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError, loadServerConfig, type ServerConfig } from '@hypercache/config';
import { startServer, type RunningServer } from './server';
import { keepOptimisedCodeAcrossIdleGc } from './v8-idle-gc';

keepOptimisedCodeAcrossIdleGc();

/**
 * `hypercache-server`: one node configured only by `HYPERCACHE_*` variables. A bad variable or
 * a listener that cannot bind exits 1; SIGTERM/SIGINT drain and exit 0.
 */
async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadServerConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      // One line per bad variable: every one is reported at once.
      for (const line of e.message.split('\n')) process.stderr.write(`hypercache-server: invalid configuration: ${line}\n`);
      process.exit(1);
    }
    throw e;
  }
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (e) {
    process.stderr.write(`hypercache-server: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ component: 'server', signal }, 'shutting down');
    server.close().then(
      () => {
        server.log.info({ component: 'server' }, 'stopped');
        server.log.flush?.();
        process.exit(0);
      },
      (e: unknown) => {
        server.log.error({ component: 'server', err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
