// The capability modules, in the order their routes, migrations and demo data are applied.
import type { GongkaiModule } from '../platform/module.js';
import { platformModule } from '../platform/core/module.js';
import { orgModule } from './org/module.js';
import { calendarModule } from './calendar/module.js';
import { catalogModule } from './catalog/module.js';
import { supervisionModule } from './supervision/module.js';
import { searchModule } from './search/module.js';
import { listsModule } from './lists/module.js';
import { appealsModule } from './appeals/module.js';

export const MODULES: GongkaiModule[] = [platformModule, orgModule, calendarModule, catalogModule, listsModule, supervisionModule, appealsModule, searchModule];
