import { SetMetadata } from '@nestjs/common';
import type { Role } from '@termline/config';

/** Which roles a key's role stands for: an analyst can read, an admin can do everything. */
export const GRANTS: Record<Role, readonly Role[]> = {
  reader: ['reader'],
  analyst: ['reader', 'analyst'],
  ingest: ['ingest'],
  admin: ['reader', 'analyst', 'ingest', 'admin'],
};

export const ROLES_KEY = 'termline:roles';
export const PUBLIC_KEY = 'termline:public';

/** The route needs a key granting any of these roles. Routes without it need `reader`. */
export const RequireRole = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
