// `npm run test:chaos [-- --long] [jest args]`: the chaos suite (jest.chaos.config.js) under the
// pinned Node with --experimental-vm-modules. `--long` selects the full schedule (CHAOS_LONG=1).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const long = args.includes('--long');
const rest = args.filter((a) => a !== '--long');
const jest = require.resolve('jest/bin/jest');
const r = spawnSync(process.execPath, [jest, '--config', 'jest.chaos.config.js', '--runInBand', ...rest], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(), CHAOS_LONG: long ? '1' : process.env.CHAOS_LONG ?? '' },
});
process.exit(r.status ?? 1);
