import { request } from 'undici';

/** A response read fully: status, headers, raw body bytes. */
export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

/** One HTTP request with undici; never throws on non-2xx. */
export async function http(
  method: string,
  url: string,
  o: { body?: Buffer | string; headers?: Record<string, string>; token?: string } = {},
): Promise<HttpResult> {
  const headers = { ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  const res = await request(url, { method: method as 'GET', body: o.body, headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return {
    status: res.statusCode,
    headers: res.headers,
    body,
    text: body.toString('utf8'),
    json: () => JSON.parse(body.toString('utf8')),
  };
}
