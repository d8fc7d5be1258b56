import type { CommandSpec } from './command-spec';
import { KEYSPACE_COMMANDS } from './commands/keyspace-commands';
import { SERVER_COMMANDS } from './commands/server-commands';
import { STRING_COMMANDS } from './commands/string-commands';

/** Every supported command by lower-case name (the subset). */
export function buildCommandTable(): ReadonlyMap<string, CommandSpec> {
  const table = new Map<string, CommandSpec>();
  for (const spec of [...STRING_COMMANDS, ...KEYSPACE_COMMANDS, ...SERVER_COMMANDS]) table.set(spec.name, spec);
  return table;
}

/**
 * The lookup of the hot path: every name in lower and upper case (clients send either), so a
 * command is found without lower-casing it; mixed case falls back to the lower-case table.
 */
export function buildCommandLookup(table: ReadonlyMap<string, CommandSpec>): ReadonlyMap<string, CommandSpec> {
  const lookup = new Map(table);
  for (const [name, spec] of table) lookup.set(name.toUpperCase(), spec);
  return lookup;
}
