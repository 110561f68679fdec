import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  hashApiKey,
  TERMLINE_CONFIG,
  type ApiKeyEntry,
  type Role,
  type TermlineConfig,
} from '@termline/config';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ProblemException } from '../http/problem';
import { GRANTS, PUBLIC_KEY, ROLES_KEY } from './roles';

/** `Authorization: Bearer <key>`; keys are compared by their sha256, never stored in clear. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ReadonlyArray<ApiKeyEntry & { digest: Buffer }>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(TERMLINE_CONFIG) config: TermlineConfig,
  ) {
    this.keys = config.apiKeys.map((key) => ({ ...key, digest: Buffer.from(key.sha256, 'hex') }));
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? ['reader'];
    const request = context.switchToHttp().getRequest<Request & { apiKey?: ApiKeyEntry }>();
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new ProblemException(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer <key>"');
    const digest = Buffer.from(hashApiKey(match[1]!), 'hex');
    const key = this.keys.find((candidate) => timingSafeEqual(candidate.digest, digest));
    if (!key) throw new ProblemException(401, 'unauthenticated', 'Unknown API key');
    if (!required.some((role) => GRANTS[key.role].includes(role))) {
      throw new ProblemException(
        403,
        'forbidden',
        `This route needs the role ${required.join(' or ')}; the key "${key.name}" has ${key.role}`,
      );
    }
    request.apiKey = key;
    return true;
  }
}
