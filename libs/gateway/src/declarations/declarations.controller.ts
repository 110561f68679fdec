import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { DeclarationProblem } from '@termline/text';
import { DECLARATIONS, type LoadedDeclarations } from '@termline/versioning';

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['file', 'service', 'documentType', 'entry', 'path', 'problem', 'consequence', 'severity'],
  properties: {
    file: { type: 'string', example: 'Acme.history.json' },
    service: { type: 'string', nullable: true, example: 'Acme' },
    documentType: { type: 'string', nullable: true, example: 'Terms of Service' },
    entry: {
      type: 'object',
      nullable: true,
      description:
        'The history entry concerned: its index in the list of its terms type, and its validUntil when readable',
      required: ['index', 'validUntil'],
      properties: {
        index: { type: 'integer' },
        validUntil: { type: 'string', format: 'date-time', nullable: true },
      },
    },
    path: {
      type: 'string',
      description: 'JSON path in the file',
      example: '["Terms of Service"][0].ValidUntil',
    },
    problem: { type: 'string', example: 'misspelt key "ValidUntil"' },
    consequence: {
      type: 'string',
      description: 'What Termline does instead',
      example: 'read as "validUntil"',
    },
    severity: {
      type: 'string',
      enum: ['error', 'warning'],
      description: 'error: something was left out; warning: read anyway, as the consequence says',
    },
  },
};

/** Problems of the declarations folder, as read at start: each one is also logged then. */
@ApiTags('declarations')
@ApiBearerAuth()
@Controller('v1/declarations')
export class DeclarationsController {
  constructor(@Inject(DECLARATIONS) private readonly declarations: LoadedDeclarations) {}

  @Get('problems')
  @ApiOperation({
    summary:
      'What in the declarations could not be applied as written, and what Termline does instead (the rest applies)',
  })
  @ApiQuery({ name: 'service', required: false })
  @ApiOkResponse({
    description: 'The problems, in file order',
    schema: {
      type: 'object',
      required: ['configured', 'count', 'items'],
      properties: {
        configured: { type: 'boolean', description: 'Whether a declarations folder is configured' },
        count: { type: 'integer' },
        items: { type: 'array', items: PROBLEM_SCHEMA },
      },
    },
  })
  problems(@Query('service') service?: string): {
    configured: boolean;
    count: number;
    items: readonly DeclarationProblem[];
  } {
    const items =
      service === undefined
        ? this.declarations.problems
        : this.declarations.problems.filter((p) => p.service === service);
    return { configured: this.declarations.set !== null, count: items.length, items };
  }
}
