import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ValueType, type Meter } from '@opentelemetry/api';

/**
 * The channel the RESP listener publishes one message per answered command on. Telemetry knows
 * it by name only (it imports nothing from libs/resp); the resp spec pins that the names match.
 */
export const RESP_COMMAND_CHANNEL = 'hypercache:resp.command';

/** What telemetry reads from a RESP command message (the publisher's message, structurally). */
interface RespCommandEvent {
  readonly nodeId: string;
  readonly command: string;
  readonly error: string | undefined;
}

/**
 * Counts the RESP commands one node answered, by command, and its error replies by command and
 * error prefix (`ERR`, `NOAUTH`, `NOPERM`, `DRAINING`, `QUORUM_UNAVAILABLE`, …), from the RESP
 * listener's diagnostics channel. Exposed as `resp.commands` and `resp.command.errors`
 * (`resp_commands_total{command}`, `resp_command_errors_total{command,error}` on `/metrics`).
 * Only messages of `nodeId` count (several nodes may share one process in tests).
 */
export class RespCommandCounters {
  readonly #commands = new Map<string, number>();
  readonly #errors = new Map<string, { command: string; error: string; count: number }>();
  readonly #onMessage = (m: unknown) => this.#count(m as RespCommandEvent);
  #subscribed = false;

  constructor(private readonly nodeId: string) {}

  /** Starts counting (idempotent). */
  subscribe(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    subscribe(RESP_COMMAND_CHANNEL, this.#onMessage);
  }

  /** Stops counting (idempotent). */
  unsubscribe(): void {
    if (!this.#subscribed) return;
    this.#subscribed = false;
    unsubscribe(RESP_COMMAND_CHANNEL, this.#onMessage);
  }

  /** Registers the two observable counters on `meter`. */
  register(meter: Meter): void {
    const commands = meter.createObservableCounter('resp.commands', { valueType: ValueType.INT, unit: '{command}', description: 'RESP commands answered, by command' });
    const errors = meter.createObservableCounter('resp.command.errors', { valueType: ValueType.INT, unit: '{command}', description: 'RESP error replies, by command and error prefix' });
    meter.addBatchObservableCallback(
      (r) => {
        for (const [command, n] of this.#commands) r.observe(commands, n, { command });
        for (const e of this.#errors.values()) r.observe(errors, e.count, { command: e.command, error: e.error });
      },
      [commands, errors],
    );
  }

  #count(e: RespCommandEvent): void {
    if (e.nodeId !== this.nodeId) return;
    this.#commands.set(e.command, (this.#commands.get(e.command) ?? 0) + 1);
    if (e.error === undefined) return;
    const k = `${e.command} ${e.error}`;
    const hit = this.#errors.get(k);
    if (hit !== undefined) hit.count++;
    else this.#errors.set(k, { command: e.command, error: e.error, count: 1 });
  }
}
