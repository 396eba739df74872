// The capability modules, in the order their routes, migrations and demo data are applied.
import type { GongkaiModule } from '../platform/module.js';
import { platformModule } from '../platform/core/module.js';
import { orgModule } from './org/module.js';

export const MODULES: GongkaiModule[] = [platformModule, orgModule];
