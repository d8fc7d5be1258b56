// Public API of @hypercache/loops: the one background-loop helper and its timer seam. Manual
// timers for tests are on `@hypercache/loops/testing`.
export { BackgroundLoop } from './background-loop';
export { SYSTEM_TIMERS, type Timers } from './timers';
