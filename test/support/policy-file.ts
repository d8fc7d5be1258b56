import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from './cleanup';

/** Writes an auth policy file (YAML text) to a temp dir removed after the test file; returns its path. */
export function writePolicyFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hc-auth-'));
  registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'auth.yaml');
  writeFileSync(path, text);
  return path;
}
