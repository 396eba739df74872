// The capability modules, in the order their routes and demo data are applied, after the
// platform parts (src/platform/parts.ts), which the platform registers itself.
import type { GongkaiModule } from '../platform/module.js';
import { orgModule } from './org/module.js';
import { calendarModule } from './calendar/module.js';
import { catalogModule } from './catalog/module.js';
import { supervisionModule } from './supervision/module.js';
import { searchModule } from './search/module.js';
import { listsModule } from './lists/module.js';
import { appealsModule } from './appeals/module.js';
import { requestsModule } from './requests/module.js';
import { annualReportsModule } from './annual-reports/module.js';
import { enforcementModule } from './enforcement/module.js';
import { decisionsModule } from './decisions/module.js';
import { subscriptionsModule } from './subscriptions/module.js';
import { webhooksModule } from './webhooks/module.js';
import { outletsModule } from './outlets/module.js';

export const MODULES: GongkaiModule[] = [orgModule, calendarModule, catalogModule, listsModule, supervisionModule, appealsModule, requestsModule, annualReportsModule, enforcementModule, decisionsModule, subscriptionsModule, webhooksModule, outletsModule, searchModule];
