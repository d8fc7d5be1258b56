import { HttpRequestCounters } from './http-request-counters';

describe(HttpRequestCounters.name, () => {
  it('counts requests and sums their latency by method and status', () => {
    const sut = new HttpRequestCounters();
    sut.record('GET', 200, 2);
    sut.record('GET', 200, 4);
    sut.record('GET', 404, 1);
    sut.record('PUT', 200, 10);
    sut.record('PROPFIND', 405, 1);
    sut.record('GET', 999, 1);
    expect(sut.series()).toEqual([
      { method: 'GET', status: 0, count: 1, seconds: 0.001 },
      { method: 'GET', status: 200, count: 2, seconds: 0.006 },
      { method: 'GET', status: 404, count: 1, seconds: 0.001 },
      { method: 'PUT', status: 200, count: 1, seconds: 0.01 },
      { method: 'OTHER', status: 405, count: 1, seconds: 0.001 },
    ]);
  });
});
