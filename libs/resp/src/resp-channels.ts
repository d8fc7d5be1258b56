import { channel } from 'node:diagnostics_channel';

/**
 * Names of the `node:diagnostics_channel` channels the RESP listener publishes on. Telemetry
 * subscribes by name (it imports nothing from here); publishing is guarded by `hasSubscribers`.
 */
export const RespChannelName = {
  /** One RESP command answered: {@link RespCommandMessage}. */
  Command: 'hypercache:resp.command',
} as const;

/** Message on {@link RespChannelName.Command}, published once per command when its reply is written. */
export interface RespCommandMessage {
  /** The node that answered (several nodes may share a process in tests). */
  readonly nodeId: string;
  /** Lower-case command name; `unknown` for commands outside the table. */
  readonly command: string;
  /** The error reply's prefix (`ERR`, `NOAUTH`, `NOPERM`, `DRAINING`, …), undefined on success. */
  readonly error: string | undefined;
}

/** The channel, created once per process. */
export const respCommandChannel = channel(RespChannelName.Command);
