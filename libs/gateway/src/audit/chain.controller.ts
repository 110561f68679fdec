import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CHAIN_ALGORITHM, type ChainLink } from '@termline/audit';
import { DOCUMENT_ID_PATTERN, streamIdOf } from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { ApiAnswer, ApiPathParam, ApiProblems } from '../http/api-docs.decorators';
import { ProblemException } from '../http/problem';

export interface ChainHeadView {
  documentId: string;
  algorithm: string;
  /** The link of the stream's last commit: publish or keep it, and any later export must extend it. */
  head: ChainLink;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/documents')
export class ChainController {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  @Get(':documentId/chain')
  @ApiOperation({
    summary: "The head of the document's hash chain (ADR 0011): its last commit's hash and position",
  })
  @ApiPathParam('documentId', 'documentId')
  @ApiAnswer(200, 'ChainHead')
  @ApiProblems(404)
  async head(@Param('documentId') documentId: string): Promise<ChainHeadView> {
    if (!DOCUMENT_ID_PATTERN.test(documentId))
      throw new ProblemException(404, 'not-found', `No document ${documentId}`);
    const head = await this.eventStore.chainHead(streamIdOf(documentId));
    if (!head) throw new ProblemException(404, 'not-found', `No document ${documentId}`);
    return { documentId, algorithm: CHAIN_ALGORITHM, head };
  }
}
