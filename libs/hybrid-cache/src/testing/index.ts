// Test helpers of @hypercache/hybrid-cache: conformance suites, chaos adapters, a manual clock.
export { l2AdapterConformance, backplaneConformance, type ConformanceCase } from './conformance';
export { ChaosL2, type ChaosMode } from './chaos-l2';
export { ChaosBackplane } from './chaos-backplane';
export { FakeClock, settle } from './fake-clock';
