/** RFC 3339 in UTC with second precision and a `Z` suffix, as upstream (`2026-05-06T10:30:00Z`). */
export function rfc3339Seconds(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 19)}Z`;
}
