// The spine item types of decisions, one file per part under items/ (registered at import).
// part: stages (items)
import './items/decision.js';
// part: consultations (items)
import './items/consultation.js';
// part: report (items)
import './items/report.js';
// part: hearings (items)
import './items/hearing.js';
export {};
