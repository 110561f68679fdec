import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CATEGORIES, classifyProvision, TAXONOMY } from '@termline/regulatory';
import { readJsonBody } from '../http/json-body';
import { decodeClassifyRequest, MAX_CLASSIFY_BODY_BYTES, MAX_CLASSIFY_CHARACTERS } from './classify-request';

/**
 * The regulatory taxonomy and the provision classifier over HTTP (reader role and up). A text is classified as one
 * provision, whatever its length: the caller segments documents (the provision endpoints already do).
 */
@ApiTags('regulatory')
@ApiBearerAuth()
@Controller('v1')
export class RegulatoryController {
  @Post('classify')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Classify one provision: categories with evidence, references, exposure, jurisdictions, attributes',
    description:
      `The text is classified as a single provision (no segmentation). At most ${MAX_CLASSIFY_CHARACTERS} ` +
      'characters (413 above); empty, binary-looking input or unknown fields answer 422. Deterministic: the answer ' +
      'names the taxonomy and classifier versions.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['text'],
      additionalProperties: false,
      properties: {
        text: { type: 'string', minLength: 1, maxLength: MAX_CLASSIFY_CHARACTERS },
        service: { type: 'string', maxLength: 200 },
        documentType: { type: 'string', maxLength: 200 },
        heading: {
          type: 'string',
          maxLength: 200,
          description: 'The provision heading, when not in the text',
        },
      },
    },
  })
  @ApiResponse({ status: 200, description: 'The classification' })
  @ApiResponse({ status: 413, description: `text over ${MAX_CLASSIFY_CHARACTERS} characters` })
  @ApiResponse({ status: 422, description: 'Empty or binary text, wrong types, unknown fields' })
  async classify(@Req() request: Request) {
    const input = decodeClassifyRequest(await readJsonBody(request, MAX_CLASSIFY_BODY_BYTES));
    return classifyProvision(input);
  }

  @Get('categories')
  @ApiOperation({
    summary: 'Provision categories with their mapping, exposure rules, implications and considerations',
  })
  categories() {
    return { taxonomyVersion: TAXONOMY.version, items: CATEGORIES };
  }

  @Get('regulations')
  @ApiOperation({
    summary: 'The regulatory taxonomy: frameworks (with application dates), references, categories',
  })
  regulations() {
    return TAXONOMY;
  }
}
