import { InvalidOptionError } from './errors';

/** `capacity` if it is a non-negative integer, else `InvalidOptionError` naming `option` (code `BAD_REQUEST`; config.md B.1 "capacity cannot be negative"). */
export function checkCapacity(option: string, capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 0) throw new InvalidOptionError(option, capacity, 'must be a non-negative integer (capacity cannot be negative)');
  return capacity;
}
