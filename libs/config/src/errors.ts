/** One bad variable: its name, its value as given ('' when unset) and why it cannot be used. */
export interface ConfigIssue {
  readonly variable: string;
  readonly value: string;
  readonly reason: string;
}

/**
 * Configuration that cannot be used. Lists every bad variable with its value
 * (`NAME="value": reason`, one per line); `variable` / `value` name the first.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly issues: readonly ConfigIssue[];
  readonly variable: string;
  readonly value: string;

  constructor(issues: readonly ConfigIssue[]);
  constructor(variable: string, value: string, reason: string);
  constructor(a: readonly ConfigIssue[] | string, value = '', reason = '') {
    const issues = typeof a === 'string' ? [{ variable: a, value, reason }] : a;
    super(issues.map((i) => `${i.variable}=${JSON.stringify(i.value)}: ${i.reason}`).join('\n'));
    this.name = new.target.name;
    this.issues = issues;
    this.variable = issues[0]?.variable ?? '';
    this.value = issues[0]?.value ?? '';
  }
}
