import { Logger, Module } from '@nestjs/common';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import type { DeclarationProblem, DeclarationSet } from '@termline/text';
import { loadDeclarationsDir } from './declarations.loader';

/** The declarations folder as read once at start: what the versioning service applies and the gateway reports. */
export interface LoadedDeclarations {
  /** Null when no folder is configured: documents are then extracted from the whole page. */
  readonly set: DeclarationSet | null;
  readonly dir: string | null;
  readonly problems: readonly DeclarationProblem[];
}

export const DECLARATIONS = Symbol('DECLARATIONS');

const logger = new Logger('Declarations');

export function loadDeclarations(config: TermlineConfig): LoadedDeclarations {
  if (!config.declarationsDir) return { set: null, dir: null, problems: [] };
  const set = loadDeclarationsDir(config.declarationsDir);
  if (set.problems.length > 0) {
    logger.warn(
      `${set.problems.length} problem(s) in the declarations of ${config.declarationsDir} (GET /v1/declarations/problems):`,
    );
    for (const p of set.problems.slice(0, 50))
      logger.warn(`  ${p.file}${p.path ? ` ${p.path}` : ''}: ${p.problem} -> ${p.consequence}`);
  }
  return { set, dir: config.declarationsDir, problems: set.problems };
}

@Module({
  providers: [{ provide: DECLARATIONS, inject: [TERMLINE_CONFIG], useFactory: loadDeclarations }],
  exports: [DECLARATIONS],
})
export class DeclarationsModule {}
