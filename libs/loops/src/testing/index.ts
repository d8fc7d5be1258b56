// Test-only entry of @hypercache/loops (`@hypercache/loops/testing`): excluded from the build.
export { ManualTimers } from './manual-timers';
