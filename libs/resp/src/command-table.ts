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
