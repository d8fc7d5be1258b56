import { ApiProperty } from '@nestjs/swagger';

/** `GET /config` (management-api.md §4): sanitized, no secrets. */
export class ConfigResponseDto {
  @ApiProperty({ description: 'item capacity of this node (0 = unlimited)' }) capacity!: number;
  @ApiProperty({ description: 'bytes currently accounted' }) allocation!: number;
  @ApiProperty({ description: 'byte cap (0 = unlimited)' }) maxCacheSize!: number;
  @ApiProperty({ example: '0s', description: 'Go duration; 0s = proactive eviction on every write' }) evictionInterval!: string;
  @ApiProperty({ example: '30m0s' }) expirationInterval!: string;
  @ApiProperty({ example: 'lfu' }) evictionAlgorithm!: string;
  @ApiProperty({ description: 'replication factor (1 on a single node)' }) replication!: number;
  @ApiProperty({ example: 64 }) virtualNodesPerNode!: number;
}

/** One stat aggregate of `GET /stats` (management-api.md §3), PascalCase as upstream. */
export class StatAggregateDto {
  @ApiProperty() Mean!: number;
  @ApiProperty() Median!: number;
  @ApiProperty() Min!: number;
  @ApiProperty() Max!: number;
  @ApiProperty({ type: [Number] }) Values!: number[];
  @ApiProperty() Count!: number;
  @ApiProperty() Sum!: number;
  @ApiProperty() Variance!: number;
}

/** One member of `GET /cluster/members` (PascalCase keys, as upstream). */
export class MemberDto {
  @ApiProperty() ID!: string;
  @ApiProperty({ description: 'dist address host:port' }) Address!: string;
  @ApiProperty({ enum: ['alive', 'suspect', 'dead'] }) State!: string;
  @ApiProperty() Incarnation!: number;
}

/** `GET /cluster/members` (management-api.md §6). */
export class MembersResponseDto {
  @ApiProperty() replication!: number;
  @ApiProperty() virtualNodes!: number;
  @ApiProperty({ type: [MemberDto] }) members!: MemberDto[];
}

/** `GET /cluster/heartbeat` (management-api.md §2). */
export class HeartbeatResponseDto {
  @ApiProperty() heartbeatSuccess!: number;
  @ApiProperty() heartbeatFailure!: number;
  @ApiProperty() nodesRemoved!: number;
  @ApiProperty() readPrimaryPromote!: number;
}

/** `GET /dist/owners?key=` (management-api.md §2). */
export class OwnersResponseDto {
  @ApiProperty() key!: string;
  @ApiProperty({ type: [String], description: 'owner node IDs, primary first' }) owners!: string[];
}

/** `GET /cluster/ring` (management-api.md §2). */
export class RingResponseDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: [String], example: ['0018e9cedb208d91:node-2'], description: 'vnodes ascending by hash' }) vnodes!: string[];
}

/** `POST /dist/drain`. */
export class DrainResponseDto {
  @ApiProperty({ example: true }) draining!: boolean;
}
