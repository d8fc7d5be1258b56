/** A configuration value that cannot be used; names the variable and the bad value. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly variable: string, readonly value: string, reason: string) {
    super(`${variable}=${JSON.stringify(value)}: ${reason}`);
    this.name = new.target.name;
  }
}
