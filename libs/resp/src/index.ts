// Public face of @hypercache/resp (issue 19): the listener the server binds, and the parser the
// test client reuses. Commands, replies and limits are internal (docs/decisions.md P-rows, A8).
export { RespChannelName } from './resp-channels';
export type { RespCommandMessage } from './resp-channels';
export { RespParser } from './resp-parser';
export type { RespParserOptions, RespValue } from './resp-parser';
export { RespServer } from './resp-server';
export type { RespServerOptions } from './resp-server';
