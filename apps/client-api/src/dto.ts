import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Swagger-only shapes of the client API (client-api.md §3, §5). The hot routes write JSON by
// hand; these classes document the wire format and are never instantiated per request.

/** `{error, code}` (client-api.md §3). */
export class ErrorBodyDto {
  @ApiProperty({ example: 'key not found' }) error!: string;
  @ApiProperty({ enum: ['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'DRAINING', 'QUORUM_UNAVAILABLE', 'INTERNAL'] })
  code!: string;
}

export class PutResponseDto {
  @ApiProperty() key!: string;
  @ApiProperty({ example: true }) stored!: boolean;
  @ApiPropertyOptional({ description: 'requested TTL in ms; omitted when no TTL' }) ttl_ms?: number;
  @ApiProperty({ description: 'length of the stored body' }) bytes!: number;
  @ApiProperty({ description: 'node that handled the request' }) node!: string;
  @ApiProperty({ type: [String], description: 'ring owners, primary first' }) owners!: string[];
}

export class ItemEnvelopeDto {
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'standard base64, padded' }) value!: string;
  @ApiProperty({ enum: ['base64'] }) value_encoding!: string;
  @ApiPropertyOptional({ description: 'remaining lifetime in ms' }) ttl_ms?: number;
  @ApiPropertyOptional({ description: 'RFC 3339 UTC, second precision' }) expires_at?: string;
  @ApiProperty({ description: 'logical version (≥ 1)' }) version!: number;
  @ApiPropertyOptional({ description: 'node that assigned the version' }) origin?: string;
  @ApiPropertyOptional({ description: 'RFC 3339 UTC' }) last_updated?: string;
  @ApiProperty() node!: string;
  @ApiProperty({ type: [String] }) owners!: string[];
}

export class DeleteResponseDto {
  @ApiProperty() key!: string;
  @ApiProperty({ example: true }) deleted!: boolean;
  @ApiProperty() node!: string;
  @ApiProperty({ type: [String] }) owners!: string[];
}

export class OwnersResponseDto {
  @ApiProperty() key!: string;
  @ApiProperty({ type: [String] }) owners!: string[];
  @ApiProperty() node!: string;
}

export class BatchKeysRequestDto {
  @ApiProperty({ type: [String] }) keys!: string[];
}

export class BatchPutItemDto {
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'UTF-8 text, or base64 when value_encoding is "base64"' }) value!: string;
  @ApiPropertyOptional({ description: '"base64" decodes the value; anything else stores the UTF-8 text' })
  value_encoding?: string;
  @ApiPropertyOptional({ description: 'TTL in ms; 0 or absent = no expiry' }) ttl_ms?: number;
}

export class BatchPutRequestDto {
  @ApiProperty({ type: [BatchPutItemDto] }) items!: BatchPutItemDto[];
}

export class BatchGetResultDto {
  @ApiProperty() key!: string;
  @ApiProperty() found!: boolean;
  @ApiPropertyOptional() value?: string;
  @ApiPropertyOptional({ enum: ['base64'] }) value_encoding?: string;
  @ApiPropertyOptional() ttl_ms?: number;
  @ApiPropertyOptional() expires_at?: string;
  @ApiPropertyOptional() version?: number;
  @ApiPropertyOptional() origin?: string;
  @ApiPropertyOptional() last_updated?: string;
  @ApiPropertyOptional({ type: [String] }) owners?: string[];
}

export class BatchGetResponseDto {
  @ApiProperty({ type: [BatchGetResultDto] }) results!: BatchGetResultDto[];
  @ApiProperty() node!: string;
}

export class BatchPutResultDto {
  @ApiProperty() key!: string;
  @ApiProperty() stored!: boolean;
  @ApiPropertyOptional() bytes?: number;
  @ApiPropertyOptional({ type: [String] }) owners?: string[];
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional() code?: string;
}

export class BatchPutResponseDto {
  @ApiProperty({ type: [BatchPutResultDto] }) results!: BatchPutResultDto[];
  @ApiProperty() node!: string;
}

export class BatchDeleteResultDto {
  @ApiProperty() key!: string;
  @ApiProperty() deleted!: boolean;
  @ApiPropertyOptional({ type: [String] }) owners?: string[];
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional() code?: string;
}

export class BatchDeleteResponseDto {
  @ApiProperty({ type: [BatchDeleteResultDto] }) results!: BatchDeleteResultDto[];
  @ApiProperty() node!: string;
}

export class MeResponseDto {
  @ApiProperty({ description: 'identity ID (`anonymous` in anonymous mode)' }) id!: string;
  @ApiProperty({ type: [String], enum: ['read', 'write', 'admin'] }) scopes!: string[];
  @ApiProperty({ type: [String], description: 'each scope prefixed with `cache.`, same order' }) capabilities!: string[];
}

export class CanResponseDto {
  @ApiProperty({ enum: ['cache.read', 'cache.write', 'cache.admin'] }) capability!: string;
  @ApiProperty() allowed!: boolean;
}

/** `GET /v1/cache/keys` (client-api.md §5.6). */
export class KeyPageDto {
  @ApiProperty({ type: [String], description: 'this page, ascending byte order' }) keys!: string[];
  @ApiProperty({ description: 'offset of the next page, `""` on the last page' }) next_cursor!: string;
  @ApiProperty({ description: 'size of the merged set (≤ max)' }) total_matched!: number;
  @ApiProperty({ description: 'the merged set hit `max`' }) truncated!: boolean;
  @ApiProperty({ description: 'node that handled the request' }) node!: string;
  @ApiPropertyOptional({ type: [String], description: 'alive peers whose listing failed; omitted when none' }) partial_nodes?: string[];
}

export class TopologyMemberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['alive', 'suspect', 'dead'] }) state!: string;
  @ApiProperty() incarnation!: number;
  @ApiProperty({ type: String, nullable: true, description: "Base URL of the member's client API (`http(s)://host:port`); null when it never advertised one" })
  apiUrl!: string | null;
  @ApiProperty({ description: 'On the ring (alive or suspect)' }) owner!: boolean;
}

export class TopologyRingPointDto {
  @ApiProperty({ description: 'XXH64 position of the virtual node, unsigned 64-bit decimal' }) hash!: string;
  @ApiProperty() node!: string;
}

export class TopologyResponseDto {
  @ApiProperty({ description: 'The answering node' }) node!: string;
  @ApiProperty({ description: 'Opaque; equal on nodes with the same ring, changes whenever the ring members change' }) ringVersion!: string;
  @ApiProperty() replication!: number;
  @ApiProperty() virtualNodesPerNode!: number;
  @ApiProperty({ type: [TopologyMemberDto] }) members!: TopologyMemberDto[];
  @ApiProperty({ type: [TopologyRingPointDto], description: 'Every virtual node, ascending by hash' }) ring!: TopologyRingPointDto[];
}
