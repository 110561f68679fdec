import { Controller, Get, HttpCode, Inject, Optional, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request } from 'express';
import { TEXT_WORK, TextWork } from '@termline/platform';
import {
  CATEGORIES,
  CLASSIFIER_VERSION,
  MODEL_INFO,
  TAXONOMY,
  type Classification,
} from '@termline/regulatory';
import { ApiProblems } from '../http/api-docs.decorators';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { BodyBudget } from '../http/body-budget';
import { readJsonBody } from '../http/json-body';
import { ref } from '../http/openapi.schemas';
import { decodeClassifyRequest, MAX_CLASSIFY_BODY_BYTES, MAX_CLASSIFY_CHARACTERS } from './classify-request';

const json = (schema: SchemaObject) => ({ 'application/json': { schema } });
const problem = { 'application/problem+json': { schema: ref('Problem') } };
const strings: SchemaObject = { type: 'array', items: { type: 'string' } };

/** One article the classifier names, with why (libs/regulatory ReferenceResult). */
const reference = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    framework: { type: 'string' },
    instrument: { type: 'string' },
    article: { type: 'string' },
    title: { type: 'string' },
    url: { type: 'string' },
    rationale: { type: 'string' },
    primary: { type: 'boolean' },
  },
};

/** The learned component behind an answer (libs/regulatory ModelInfo): its weights and how they are combined. */
const MODEL: SchemaObject = {
  type: 'object',
  description:
    'The learned weights behind the answer (ADR 0019): version, sha256 of the training labels, combination',
  properties: {
    version: { type: 'string' },
    trainingSetHash: { type: 'string' },
    trainingProvisions: { type: 'integer' },
    combination: {
      type: 'object',
      properties: {
        add: {
          type: 'number',
          nullable: true,
          description: 'A category the model gives this probability is added',
        },
        veto: {
          type: 'number',
          nullable: true,
          description: 'A further rule category the model gives less than this is dropped',
        },
      },
    },
  },
};

const CLASSIFICATION: SchemaObject = {
  type: 'object',
  required: [
    'categories',
    'references',
    'exposure',
    'jurisdictions',
    'attributes',
    'taxonomyVersion',
    'classifierVersion',
  ],
  properties: {
    categories: {
      type: 'array',
      description: 'Main category first',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          confidence: {
            type: 'number',
            description: "Rules: from the cue score; model: the model's probability",
          },
          source: {
            type: 'string',
            enum: ['rules', 'model'],
            description: 'Who reported the category: the rules, or the learned model as a second opinion',
          },
          evidence: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                phrase: { type: 'string' },
                start: { type: 'integer' },
                end: { type: 'integer' },
              },
            },
          },
        },
      },
    },
    references: {
      type: 'array',
      description: 'What the classifier concluded the provision engages (its primary references)',
      items: reference,
    },
    relatedReferences: {
      type: 'array',
      description: 'Articles worth checking beside them (secondary references), with their rationale',
      items: reference,
    },
    exposure: {
      type: 'object',
      properties: { level: { type: 'string', enum: ['low', 'medium', 'high'] }, reasons: strings },
    },
    jurisdictions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          level: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
    attributes: { type: 'object', additionalProperties: true },
    taxonomyVersion: { type: 'string' },
    classifierVersion: { type: 'string' },
    model: MODEL,
  },
};

/**
 * The regulatory taxonomy and the provision classifier over HTTP (reader role and up). A text is classified as one
 * provision, whatever its length: the caller segments documents (the provision endpoints already do).
 */
@ApiTags('regulatory')
@ApiBearerAuth()
@Controller('v1')
export class RegulatoryController {
  private readonly textWork: TextWork;

  /**
   * Texts of more than about a provision are classified in the text-work threads (a 200,000-character text takes
   * some 25 ms): a client sending long texts does not hold the event loop that accepts fetches and answers reads.
   */
  constructor(
    private readonly bodies: BodyBudget,
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
    @Optional() @Inject(TEXT_WORK) textWork?: TextWork,
  ) {
    this.textWork = textWork ?? TextWork.inThread();
  }

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
        service: { type: 'string', minLength: 1, maxLength: 200 },
        documentType: { type: 'string', minLength: 1, maxLength: 200 },
        heading: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description: 'The provision heading, when not in the text',
        },
      },
    },
  })
  @ApiResponse({ status: 200, description: 'The classification', content: json(CLASSIFICATION) })
  @ApiProblems(400, 408, 415, 503)
  @ApiResponse({
    status: 413,
    description: `text over ${MAX_CLASSIFY_CHARACTERS} characters`,
    content: problem,
  })
  @ApiResponse({
    status: 422,
    description: 'Empty or binary text, wrong types, unknown fields',
    content: problem,
  })
  async classify(@Req() request: Request) {
    const [{ references, ...classification }] = await this.bodies.within(
      request,
      MAX_CLASSIFY_BODY_BYTES,
      async () => {
        const input = decodeClassifyRequest(
          await readJsonBody(request, MAX_CLASSIFY_BODY_BYTES, this.config.minBodyBytesPerSecond),
        );
        return (await this.textWork.classify([input])) as [Classification];
      },
    );
    // What the classifier concludes the provision engages; the articles worth checking beside them come apart, so
    // that a client reading `references` gets the conclusion, not every lead.
    return {
      ...classification,
      references: references.filter((reference) => reference.primary),
      relatedReferences: references.filter((reference) => !reference.primary),
    };
  }

  @Get('categories')
  @ApiOperation({
    summary: 'Provision categories with their mapping, exposure rules, implications and considerations',
  })
  @ApiResponse({
    status: 200,
    description: 'The categories of the taxonomy',
    content: json({
      type: 'object',
      properties: {
        taxonomyVersion: { type: 'string' },
        classifierVersion: { type: 'string' },
        model: MODEL,
        items: { type: 'array', items: { type: 'object' } },
      },
    }),
  })
  categories() {
    return {
      taxonomyVersion: TAXONOMY.version,
      classifierVersion: CLASSIFIER_VERSION,
      model: MODEL_INFO,
      items: CATEGORIES,
    };
  }

  @Get('regulations')
  @ApiOperation({
    summary: 'The regulatory taxonomy: frameworks (with application dates), references, categories',
  })
  @ApiResponse({
    status: 200,
    description: 'The whole taxonomy, with its version and changelog',
    content: json({
      type: 'object',
      properties: {
        version: { type: 'string' },
        changelog: { type: 'array', items: { type: 'object' } },
        frameworks: { type: 'array', items: { type: 'object' } },
        jurisdictions: { type: 'object' },
        references: { type: 'array', items: { type: 'object' } },
        categories: { type: 'array', items: { type: 'object' } },
        conditions: strings,
      },
    }),
  })
  regulations() {
    return TAXONOMY;
  }
}
