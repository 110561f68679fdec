import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SUPPORTED_MIME_TYPES } from '@termline/domain';
import { ApiPathParam, ApiProblems } from '../http/api-docs.decorators';
import { SNAPSHOT_ID_PATTERN, SNAPSHOT_STORE, type SnapshotStore } from '@termline/eventstore';
import type { Response } from 'express';
import { ProblemException } from '../http/problem';

const EXTENSIONS: Record<string, string> = {
  'text/html': '.html',
  'application/xhtml+xml': '.xhtml',
  'text/plain': '.txt',
  'text/markdown': '.md',
  'application/pdf': '.pdf',
};

@ApiTags('archive')
@ApiBearerAuth()
@Controller('v1/snapshots')
export class SnapshotsController {
  constructor(@Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore) {}

  /** The raw archived bytes, with their content type; the id is their sha256, so clients can verify them. */
  @Get(':snapshotId')
  @ApiOperation({
    summary:
      'The archived bytes of one snapshot, as a download, with the content type they were fetched with',
  })
  @ApiPathParam('snapshotId', 'snapshotId', 'The sha256 of the bytes, hex')
  @ApiResponse({
    status: 200,
    description: 'The bytes; ETag and Digest carry their sha256',
    content: Object.fromEntries(
      SUPPORTED_MIME_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiProblems(404)
  async snapshot(@Param('snapshotId') snapshotId: string, @Res() response: Response): Promise<void> {
    if (!SNAPSHOT_ID_PATTERN.test(snapshotId)) {
      throw new ProblemException(
        404,
        'not-found',
        'A snapshot id is the 64-character hex sha256 of its content',
      );
    }
    const snapshot = await this.snapshots.get(snapshotId);
    if (!snapshot) throw new ProblemException(404, 'not-found', `No snapshot ${snapshotId}`);
    // Archived pages are other sites' HTML and scripts: served as a download in a sandbox with no rights on this
    // origin, never sniffed into something else, and cached only by the client that holds the key.
    response
      .status(200)
      .type(snapshot.mimeType)
      .setHeader('ETag', `"${snapshotId}"`)
      .setHeader('Cache-Control', 'private, max-age=31536000, immutable')
      .setHeader('Vary', 'Authorization')
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
      .setHeader(
        'Content-Disposition',
        `attachment; filename="${snapshotId}${EXTENSIONS[snapshot.mimeType] ?? ''}"`,
      )
      .setHeader('Digest', `sha-256=${Buffer.from(snapshotId, 'hex').toString('base64')}`)
      .send(snapshot.content);
  }
}
