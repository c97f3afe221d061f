import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger for every function. Log ids and counts only: never a pupil's
 * name, a contact detail, a note, a secret or a request body.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'intervention-tracker' });
