import { channel } from 'node:diagnostics_channel';
import { REDIS_CHANNELS } from './redis-client-metrics';
import { Telemetry } from './telemetry';

describe('Redis client series (telemetry.observeRedis)', () => {
  it('turns command and connection events into counters, a latency histogram and reconnects', async () => {
    const sut = Telemetry.create({ nodeId: 'n1', version: 'test', env: {} });
    try {
      const commands = channel(REDIS_CHANNELS.command);
      const connection = channel(REDIS_CHANNELS.connection);
      expect(commands.hasSubscribers).toBe(false);
      sut.observeRedis();
      expect(commands.hasSubscribers).toBe(true);
      commands.publish({ command: 'get', durationMs: 0.4, ok: true });
      commands.publish({ command: 'get', durationMs: 1_200, ok: false });
      commands.publish({ command: 'set', durationMs: 2, ok: true });
      connection.publish({ event: 'reconnecting' });
      connection.publish({ event: 'ready' });
      const text = await sut.prometheus.scrape();
      expect(text).toMatch(/^redis_client_commands_total\{command="get"\} 2$/m);
      expect(text).toMatch(/^redis_client_commands_total\{command="set"\} 1$/m);
      expect(text).toMatch(/^redis_client_errors_total\{command="get"\} 1$/m);
      expect(text).toMatch(/^redis_client_command_duration_bucket\{command="get",le="0.0005"\} 1$/m);
      expect(text).toMatch(/^redis_client_command_duration_bucket\{command="get",le="2.5"\} 2$/m);
      expect(text).toMatch(/^redis_client_connection_events_total\{event="ready"\} 1$/m);
      expect(text).toMatch(/^redis_client_reconnects_total 1$/m);
      expect(text).toMatch(/^redis_client_connected 1$/m);
      connection.publish({ event: 'close' });
      expect(await sut.prometheus.scrape()).toMatch(/^redis_client_connected 0$/m);
    } finally {
      await sut.shutdown();
    }
    expect(channel(REDIS_CHANNELS.command).hasSubscribers).toBe(false);
  });
});
