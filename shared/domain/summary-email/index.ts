export { renderSchoolSummary, schoolSummarySubject, maxPupilsListed, type PupilName, type RenderedEmail, type SchoolSummaryInput } from './school-summary';
export { renderTrustSummary, trustSummarySubject, type TrustSummaryInput } from './trust-summary';
export { weekTitle, weekRange, shortWeekRange, escapeHtml, percent, countChange, rateChange } from './format';
export { colours } from './html';
