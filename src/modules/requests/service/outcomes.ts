// The outcome tree is the annual report's Table 三 (a statutory format shared with the annual-report
// module), so it lives in the platform; the requests module records one leaf per closed request.
export * from '../../../platform/report-outcomes.js';
