export { dslAlertMessage } from './dsl-alert';
export { escapeHtml, longDate, longDateTime } from './format';
export { parentMessage } from './parent-notice';
export { restrictiveDslAlertMessage, restrictiveReportMessage } from './restrictive-report';
