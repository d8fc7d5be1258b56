import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AntiEntropy, buildMerkleSnapshot, DistributedCache } from '@hypercache/distributed';
import { ApiError } from '@hypercache/http-kit';

type Query = Record<string, string | undefined>;

/**
 * Merkle routes of the dist listener (dist-protocol.md §11, §17.1), behind peer auth.
 *
 * - `GET /internal/merkle` without parameters: the upstream whole-node tree (wire compatible).
 * - `GET /internal/merkle?peer=<id>&buckets=<n>`: the TS tree over the keys this node and `peer`
 *   both own, leaves = key-hash buckets (what TS anti-entropy compares).
 * - `GET /internal/merkle/entries?peer=&buckets=&bucket=i,j,…`: `[{key, version, origin,
 *   tombstone}]` in those buckets, so the caller can pull newer items and tombstones.
 */
@Controller()
export class AntiEntropyRoutesController {
  constructor(
    private readonly dist: DistributedCache,
    private readonly antiEntropy: AntiEntropy,
  ) {}

  @Get('internal/merkle')
  merkle(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): void {
    if (req.query.peer === undefined && req.query.buckets === undefined) {
      reply.send(buildMerkleSnapshot(this.dist.merkleEntries()));
      return;
    }
    const { peer, buckets } = this.#peerQuery(req.query);
    reply.send(this.antiEntropy.buildTree(peer, buckets));
  }

  @Get('internal/merkle/entries')
  entries(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): void {
    const { peer, buckets } = this.#peerQuery(req.query);
    const raw = req.query.bucket ?? '';
    const indexes = raw === '' ? [] : raw.split(',').map((x) => (/^\d+$/.test(x) ? Number(x) : Number.NaN));
    if (indexes.some((i) => !Number.isInteger(i) || i >= buckets)) throw new ApiError('BAD_REQUEST', 'invalid bucket');
    reply.send(this.antiEntropy.entriesIn(peer, buckets, indexes));
  }

  #peerQuery(q: Query): { peer: string; buckets: number } {
    if (!q.peer) throw new ApiError('BAD_REQUEST', 'missing peer');
    const buckets = /^\d+$/.test(q.buckets ?? '') ? Number(q.buckets) : Number.NaN;
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 4096) throw new ApiError('BAD_REQUEST', 'invalid buckets');
    return { peer: q.peer, buckets };
  }
}
