import { execFileSync } from 'node:child_process';
import { IDLE_GC_FLAGS, keepOptimisedCodeAcrossIdleGc } from './v8-idle-gc';

describe('keepOptimisedCodeAcrossIdleGc', () => {
  it('names flags this V8 has (setFlagsFromString ignores an unknown one without a word)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of IDLE_GC_FLAGS) {
      const name = flag.replace(/^--(no-)?/, '').replace(/=.*$/, '');
      expect(options).toContain(`--${name} (`);
    }
  });

  it('sets both flags when the process was started without any of them', () => {
    expect(keepOptimisedCodeAcrossIdleGc(['--enable-source-maps'])).toEqual(IDLE_GC_FLAGS);
  });

  it.each([['--retain-maps-for-n-gc=4'], ['--retain_maps_for_n_gc=0'], ['--memory-reducer-favors-memory'], ['--no-memory-reducer']])(
    'leaves the operator\'s choice alone when started with %s',
    (flag) => {
      expect(keepOptimisedCodeAcrossIdleGc(['--inspect', flag])).toEqual([]);
    },
  );
});
