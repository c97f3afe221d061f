export { dslAlertMessage } from './dsl-alert';
export { escapeHtml, longDate, longDateTime } from './format';
export { renderEmail, type EmailContent, type RenderedEmail } from './layout';
export { parentMessage, programmePhrases, type SchoolForMessage } from './parent-notice';
export { restrictiveDslAlertMessage, restrictivePhrases, restrictiveReportMessage, restrictiveSummary } from './restrictive-report';
