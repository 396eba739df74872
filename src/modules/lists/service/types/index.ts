// The four list types (registered at import time).
import './power.js';
import './service-guide.js';
import './market-access.js';
import './foreign-investment.js';
import './inspection-matters.js';
import './decision-catalogue.js';
export { POWER_TYPES, POWER_TYPE_NAMES } from './power.js';
export { promisedDate } from './service-guide.js';
