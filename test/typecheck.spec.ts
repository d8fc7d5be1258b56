import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The build (SWC) strips types without checking them; this keeps `tsc --noEmit` green in CI.
describe('typecheck', () => {
  it('compiles the whole tree with tsc --noEmit and no errors', () => {
    const root = join(__dirname, '..');
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--noEmit'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  }, 120_000);
});
